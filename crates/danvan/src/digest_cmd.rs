//! `danvan digest`: the daily e-mail digest of notices, sent through an
//! SMTP relay to every active user who chose to receive it. Run it once a
//! day from cron or a systemd timer (docs/operations.md). The relay is
//! reached in plain SMTP: the agency's mail server on its network, or a
//! local MTA that carries the mail on with TLS.

use anyhow::Context;
use chrono::NaiveDate;
use danvan_store::accounts::{self, User};
use danvan_store::{Store, notices};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{Message, SmtpTransport, Transport};

#[derive(clap::Args)]
pub struct DigestArgs {
    /// Máy chủ SMTP chuyển thư, dạng máy:cổng.
    #[arg(long, default_value = "127.0.0.1:25")]
    pub smtp: String,
    /// Địa chỉ người gửi, ví dụ "danvan <danvan@lamdong.gov.vn>".
    #[arg(long)]
    pub from: String,
    /// Địa chỉ trang web danvan, để mỗi dòng của thư mở được.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub site: String,
    /// Ngày tính thông báo (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định hôm nay.
    #[arg(long)]
    pub date: Option<String>,
}

/// What one run did.
#[derive(Debug, Default)]
pub struct Sent {
    pub sent: usize,
    /// Chose the digest but had nothing waiting.
    pub nothing: usize,
}

fn parse_day(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .with_context(|| format!("ngày «{s}» không hợp lệ (dd/mm/yyyy)"))
}

pub async fn run(store: &Store, a: &DigestArgs) -> anyhow::Result<Sent> {
    let today = match &a.date {
        Some(d) => parse_day(d)?,
        None => chrono::Local::now().date_naive(),
    };
    let from: Mailbox = a
        .from
        .parse()
        .with_context(|| format!("địa chỉ người gửi «{}» không hợp lệ", a.from))?;
    let (host, port) = a
        .smtp
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
        .with_context(|| format!("máy chủ SMTP «{}» phải có dạng máy:cổng", a.smtp))?;
    let mailer = SmtpTransport::builder_dangerous(host).port(port).build();
    let mut done = Sent::default();
    for user in accounts::list(store)
        .await?
        .into_iter()
        .filter(|u| u.active)
    {
        let prefs = notices::preferences(store, user.id).await?;
        if !prefs.digest || prefs.email.is_empty() {
            continue;
        }
        let body = match body_for(store, &user, today, &a.site).await? {
            Some(b) => b,
            None => {
                done.nothing += 1;
                continue;
            }
        };
        let to: Mailbox = format!("{} <{}>", user.full_name, prefs.email)
            .parse()
            .or_else(|_| prefs.email.parse())
            .with_context(|| {
                format!(
                    "địa chỉ «{}» của {} không hợp lệ",
                    prefs.email, user.username
                )
            })?;
        let mail = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(format!(
                "danvan: thông báo ngày {}",
                today.format("%d/%m/%Y")
            ))
            .singlepart(
                // Quoted-printable keeps the text readable to any relay.
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(body),
            )?;
        let m = mailer.clone();
        tokio::task::spawn_blocking(move || m.send(&mail))
            .await?
            .with_context(|| format!("không gửi được thư cho {}", user.username))?;
        done.sent += 1;
    }
    Ok(done)
}

/// The digest of one user, read as they would see it; `None` when nothing
/// waits for them.
async fn body_for(
    store: &Store,
    user: &User,
    today: NaiveDate,
    site: &str,
) -> anyhow::Result<Option<String>> {
    let theirs = store.acting_as(user.actor());
    let theirs = match user.unit_id {
        Some(u) => theirs.within(u).await?,
        None => theirs,
    };
    let view = danvan_report::notices::read(&theirs, user, today).await?;
    Ok((!view.is_empty()).then(|| view.digest(&user.full_name, site)))
}
