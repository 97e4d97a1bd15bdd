//! Filling the search columns of petitions stored before they existed
//! (migration 0018): run once, in the migration's transaction, so a
//! database is never left with a list search that misses old petitions.

use danvan_core::text::fold;
use sqlx::QueryBuilder;

use crate::StoreError;
use crate::db::{Tx, on_tx};

/// Rows read, then written, per statement.
const CHUNK: i64 = 1000;

type Row = (i64, String, String, String);

/// Fill `search_folded` and `sender_folded` of every petition lacking
/// them, in id order.
pub(crate) async fn search_columns(tx: &mut Tx) -> Result<(), StoreError> {
    let mut last = 0i64;
    loop {
        let rows: Vec<Row> = on_tx!(tx, c => {
            sqlx::query_as(
                "SELECT id, summary, sender_name, sender_address FROM petition \
                 WHERE id > $1 AND search_folded IS NULL ORDER BY id LIMIT $2",
            )
            .bind(last)
            .bind(CHUNK)
            .fetch_all(&mut *c)
            .await?
        });
        let Some(end) = rows.last().map(|r| r.0) else {
            return Ok(());
        };
        let folded: Vec<(i64, String, String)> = rows
            .into_iter()
            .map(|(id, summary, name, address)| {
                (id, fold(&summary), fold(&format!("{name} {address}")))
            })
            .collect();
        on_tx!(tx, c => {
            // VALUES rows are named column1… on both engines.
            let mut qb = QueryBuilder::new(
                "UPDATE petition SET search_folded = v.column2, sender_folded = v.column3 FROM (",
            );
            qb.push_values(folded.iter(), |mut b, (id, s, f)| {
                b.push_bind(*id).push_bind(s.as_str()).push_bind(f.as_str());
            });
            qb.push(") AS v WHERE petition.id = v.column1");
            qb.build().execute(&mut *c).await?;
        });
        last = end;
    }
}
