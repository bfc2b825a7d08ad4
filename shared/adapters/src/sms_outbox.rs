//! `Sms` as an outbox in the table: every message is stored (and logged) so
//! the dev server can list it at `GET /api/dev/sms`. In the cloud the same
//! outbox is what an SMS gateway integration drains.

use std::sync::Arc;

use async_trait::async_trait;

use vslc_ports::clock::Clock;
use vslc_ports::sms::{Sms, SmsError, SmsMessage};
use vslc_ports::table::{Key, Query, Table, from_item, to_item};

pub const OUTBOX_PK: &str = "OUTBOX#SMS";

pub struct OutboxSms {
    table: Arc<dyn Table>,
    clock: Arc<dyn Clock>,
}

impl OutboxSms {
    pub fn new(table: Arc<dyn Table>, clock: Arc<dyn Clock>) -> Self {
        Self { table, clock }
    }

    /// Newest first.
    pub async fn recent(&self, limit: usize) -> anyhow::Result<Vec<SmsMessage>> {
        let page = self
            .table
            .query(Query::partition(OUTBOX_PK).reverse().limit(limit))
            .await?;
        Ok(page
            .items
            .into_iter()
            .filter_map(|i| from_item(i).ok())
            .collect())
    }
}

#[async_trait]
impl Sms for OutboxSms {
    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError> {
        let msg = SmsMessage {
            phone: phone.to_owned(),
            text: text.to_owned(),
            sent_at: self.clock.now_cst().to_rfc3339(),
        };
        let key = Key::new(OUTBOX_PK, ulid::Ulid::new().to_string());
        let item = to_item(&key, &msg).map_err(|e| SmsError::Backend(e.into()))?;
        self.table
            .put(item, None)
            .await
            .map_err(|e| SmsError::Backend(e.into()))?;
        tracing::info!(phone = %vslc_ports::mask::phone(phone), "sms queued in outbox");
        Ok(())
    }
}
