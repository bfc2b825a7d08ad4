//! The application state every handler and worker receives: the ports,
//! built once per process (per Lambda cold start, or once by vslc-local)
//! by the runtime's composition (`vslc_runtime::compose`).

use std::sync::Arc;

use crate::config::Config;
use crate::{Blobs, Clock, IdentityCheck, Queue, Sms, Table};

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub table: Arc<dyn Table>,
    /// Files users upload (imports); object-created events feed the workers.
    pub uploads: Arc<dyn Blobs>,
    /// Files the platform generates (failed rows, exports, certificates).
    pub documents: Arc<dyn Blobs>,
    pub queue: Arc<dyn Queue>,
    pub clock: Arc<dyn Clock>,
    pub sms: Arc<dyn Sms>,
    /// 公安 photo comparison for 认证.
    pub identity: Arc<dyn IdentityCheck>,
}
