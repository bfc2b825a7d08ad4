//! vslc-issuance: 证书发放 (manual §4.2). The steps (生成 → 盖章 → 上链) are
//! chained through the issuance queue; this version has only the worker
//! that refuses unknown steps, so nothing sent early is ever dropped.

pub mod worker;

pub use worker::IssuanceWorker;
