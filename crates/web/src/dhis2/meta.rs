//! danvan's data elements, data sets and catalogue indicators, looked up
//! by DHIS2 id or by danvan code. Definitions are national: every reader
//! sees the same ones.

use danvan_core::records::dataset::{DataElement, DataSet};
use danvan_report::Catalogue;
use danvan_report::catalogue::Indicator;
use danvan_store::{Store, datasets};

use super::error::Dhis2Error;
use super::uid;

pub struct Meta {
    pub elements: Vec<DataElement>,
    pub sets: Vec<DataSet>,
}

/// What a `dx` id names.
pub enum Dx<'a> {
    /// An entered element, total or one option.
    Element(&'a DataElement, Option<String>),
    Indicator(&'a Indicator),
}

impl Meta {
    pub async fn load(store: &Store) -> Result<Meta, Dhis2Error> {
        Ok(Meta {
            elements: datasets::elements(store).await?,
            sets: datasets::sets(store).await?,
        })
    }

    pub fn element(&self, key: &str) -> Option<&DataElement> {
        let key = key.trim();
        self.elements
            .iter()
            .find(|e| e.code == key || uid::element(&e.code) == key)
    }

    pub fn find_element(&self, key: &str) -> Result<&DataElement, Dhis2Error> {
        self.element(key).ok_or_else(|| {
            Dhis2Error::conflict(
                "dhis2.unknown_element",
                format!("không có chỉ tiêu số liệu «{key}»"),
            )
        })
    }

    pub fn set(&self, key: &str) -> Option<&DataSet> {
        let key = key.trim();
        self.sets
            .iter()
            .find(|s| s.code == key || uid::data_set(&s.code) == key)
    }

    pub fn find_set(&self, key: &str) -> Result<&DataSet, Dhis2Error> {
        self.set(key)
            .ok_or_else(|| Dhis2Error::not_found(format!("không có bộ chỉ tiêu «{key}»")))
    }

    /// The sets an element belongs to.
    pub fn sets_of<'a>(&'a self, e: &'a DataElement) -> impl Iterator<Item = &'a DataSet> {
        self.sets.iter().filter(|s| s.elements.contains(&e.code))
    }

    /// The option of element `e` a category option combination names (its
    /// id or the option's code); empty for the default one.
    pub fn option(e: &DataElement, coc: Option<&str>) -> Result<String, Dhis2Error> {
        let coc = coc.map(str::trim).unwrap_or("");
        if coc.is_empty() || coc == uid::DEFAULT_OPTION_COMBO {
            return Ok(String::new());
        }
        e.options
            .iter()
            .find(|o| o.code == coc || uid::option_combo(&e.code, &o.code) == coc)
            .map(|o| o.code.clone())
            .ok_or_else(|| {
                let allowed: Vec<String> = e
                    .options
                    .iter()
                    .map(|o| format!("{} ({})", uid::option_combo(&e.code, &o.code), o.label))
                    .collect();
                Dhis2Error::conflict(
                    "dhis2.unknown_option",
                    if allowed.is_empty() {
                        format!(
                            "chỉ tiêu «{}» không có phân tổ; categoryOptionCombo «{coc}» không hợp lệ (bỏ trống hoặc dùng {})",
                            e.label,
                            uid::DEFAULT_OPTION_COMBO
                        )
                    } else {
                        format!(
                            "categoryOptionCombo «{coc}» không phải phân tổ của chỉ tiêu «{}»; dùng một trong: {}",
                            e.label,
                            allowed.join(", ")
                        )
                    },
                )
            })
    }

    /// What a `dx` item names: a catalogue indicator, an element, or an
    /// element's option (`element.optionCombo`).
    pub fn dx<'a>(&'a self, key: &str) -> Result<Dx<'a>, Dhis2Error> {
        let key = key.trim();
        if let Some(i) = Catalogue::shipped()
            .indicators
            .values()
            .find(|i| i.code == key || uid::indicator(&i.code) == key)
        {
            return Ok(Dx::Indicator(i));
        }
        let (de, coc) = match key.split_once('.') {
            Some((d, c)) => (d, Some(c)),
            None => (key, None),
        };
        let e = self.element(de).ok_or_else(|| {
            Dhis2Error::conflict(
                "dhis2.unknown_dx",
                format!("«{key}» không phải chỉ tiêu báo cáo hay chỉ tiêu số liệu nào"),
            )
        })?;
        let option = match coc {
            Some(c) => Some(Meta::option(e, Some(c))?).filter(|o| !o.is_empty()),
            None => None,
        };
        Ok(Dx::Element(e, option))
    }
}
