//! 缴费管理 (manual §5.2.7): a school gathers its unpaid registrations of a
//! plan's certificate into a 缴费申请单 priced by the plan's fee standard;
//! the org confirms the payment. A registration is paid exactly when its
//! order is 已确认 — one record decides, so no registration is ever paid
//! half-way — and it belongs to at most one live order (claimed with a
//! version check, so two orders generated at once never share one).

pub mod model;
pub mod service;

pub use model::{Order, OrderStatus};
