//! Cases (vụ việc): a case groups the petitions of one matter (đông người,
//! phức tạp, kéo dài, vượt cấp) so reports count by vụ việc beside the
//! count by đơn. Open, correct, close (resolved), delete and read them,
//! with their facts.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::petition::Case;

use crate::db::{Tx, on_tx};
use crate::placing::today;
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;
use crate::{Store, StoreError};

impl Table for Case {
    const KIND: RecordKind = RecordKind::Case;
    const TABLE: &'static str = "petition_case";
    const DAY: &'static str = "opened_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "opened_on",
        "title",
        "complex",
        "crowd",
        "prolonged",
        "resolved_on",
    ];
    type Row = (
        i64,
        i64,
        NaiveDate,
        String,
        bool,
        bool,
        bool,
        Option<NaiveDate>,
    );

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            Case {
                unit_id: r.1,
                opened_on: r.2,
                title: r.3,
                complex: r.4,
                crowd: r.5,
                prolonged: r.6,
                resolved_on: r.7,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Date(self.opened_on),
            Value::Text(&self.title),
            Value::Bool(self.complex),
            Value::Bool(self.crowd),
            Value::Bool(self.prolonged),
            Value::OptDate(self.resolved_on),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = Case::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.opened_on, "ngày phát sinh vụ việc", "opened_on")
    }

    /// Resolved not in the future.
    async fn check_more(&self, _: &mut Tx, _: &Store, _: Option<i64>) -> Result<(), StoreError> {
        if let Some(r) = self.resolved_on
            && r > today()
        {
            return Err(DomainError::new(
                "case.future_date",
                format!(
                    "ngày giải quyết vụ việc {} ở tương lai",
                    r.format("%d/%m/%Y")
                ),
            )
            .at_field("resolved_on")
            .into());
        }
        Ok(())
    }

    /// A case that still groups petitions is not deleted: they would point
    /// at nothing, and their count by vụ việc would be lost.
    async fn before_delete(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
        let grouped: i64 = on_tx!(tx, c => {
            sqlx::query_scalar("SELECT COUNT(*) FROM petition WHERE case_id = $1")
                .bind(id)
                .fetch_one(&mut *c)
                .await?
        });
        if grouped > 0 {
            return Err(DomainError::new(
                "case.has_petitions",
                format!(
                    "vụ việc số {id} còn gộp {grouped} đơn; hãy bỏ các đơn khỏi vụ việc trước khi xóa"
                ),
            )
            .into());
        }
        Ok(())
    }
}

/// Columns of a case file, in order (docs/import.md): the flags are «có»
/// or empty, the resolution day empty while the case is open.
pub const CASE_COLUMNS: [&str; 7] = [
    "unit",
    "opened_on",
    "title",
    "complex",
    "crowd",
    "prolonged",
    "resolved_on",
];

/// Vietnamese header names of a case file, folded (besides the common
/// ones such as «đơn vị»).
const ALIASES: [(&str, &str); 7] = [
    ("ten_vu_viec", "title"),
    ("noi_dung_vu_viec", "title"),
    ("ngay_phat_sinh", "opened_on"),
    ("phuc_tap", "complex"),
    ("dong_nguoi", "crowd"),
    ("keo_dai", "prolonged"),
    ("ngay_giai_quyet", "resolved_on"),
];

impl Import for Case {
    const CSV_COLUMNS: &'static [&'static str] = &CASE_COLUMNS;
    const ALIASES: &'static [(&'static str, &'static str)] = &ALIASES;
    const ERRORS: &'static str = "case.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
        let opened_on = c.required_date("opened_on");
        let unit_id = c.unit(all_units, opened_on, today);
        let title = c.required("title");
        let (complex, crowd, prolonged) = (c.flag("complex"), c.flag("crowd"), c.flag("prolonged"));
        let resolved_on = c.date("resolved_on");
        Some(Case {
            unit_id: unit_id?,
            opened_on: opened_on?,
            title: title?,
            complex,
            crowd,
            prolonged,
            resolved_on,
        })
    }
}

record_functions!(Case);

/// How many petitions of the store's subtree each case groups, by case
/// id: the count by đơn beside the count by vụ việc.
pub async fn petition_counts(
    store: &Store,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let root = store.read_root(None)?;
    let rows: Vec<(i64, i64)> = crate::db::on_pool!(&store.pool, p => {
        let mut qb = sqlx::QueryBuilder::new("SELECT r.case_id, COUNT(*) FROM petition r");
        if let Some(u) = root {
            qb.push(" JOIN unit_path up ON up.unit_id = r.unit_id AND up.ancestor_id = ");
            qb.push_bind(u);
        }
        qb.push(" WHERE r.case_id IN (");
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push(") GROUP BY r.case_id");
        qb.build_query_as().fetch_all(p).await?
    });
    out.extend(rows);
    Ok(out)
}
