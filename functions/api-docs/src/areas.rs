//! The catalogue of areas: one entry per first path segment under `/api`
//! (PLATFORM.md §7). `vslc-local` serves all of them; each also runs as its
//! own Lambda function.

use vslc_shared::http::{Area, AreaRouter};

/// Every area with the function building its routes.
pub fn all() -> Vec<(Area, fn() -> AreaRouter)> {
    vec![
        (vslc_auth::AREA, vslc_auth::routes as fn() -> AreaRouter),
        (vslc_orgs::AREA, vslc_orgs::routes as fn() -> AreaRouter),
        (
            vslc_schools::AREA,
            vslc_schools::routes as fn() -> AreaRouter,
        ),
        (
            vslc_standards::AREA,
            vslc_standards::routes as fn() -> AreaRouter,
        ),
        (
            vslc_certificates::AREA,
            vslc_certificates::routes as fn() -> AreaRouter,
        ),
        (
            vslc_issuance::AREA,
            vslc_issuance::routes as fn() -> AreaRouter,
        ),
        (
            vslc_declarations::AREA,
            vslc_declarations::routes as fn() -> AreaRouter,
        ),
        (vslc_exam::AREA, vslc_exam::routes as fn() -> AreaRouter),
        (
            vslc_candidates::AREA,
            vslc_candidates::routes as fn() -> AreaRouter,
        ),
        (vslc_sites::AREA, vslc_sites::routes as fn() -> AreaRouter),
        (vslc_rooms::AREA, vslc_rooms::routes as fn() -> AreaRouter),
        (
            vslc_registrations::AREA,
            vslc_registrations::routes as fn() -> AreaRouter,
        ),
        (
            vslc_payments::AREA,
            vslc_payments::routes as fn() -> AreaRouter,
        ),
        (
            vslc_scheduling::AREA,
            vslc_scheduling::routes as fn() -> AreaRouter,
        ),
        (vslc_scores::AREA, vslc_scores::routes as fn() -> AreaRouter),
        (
            vslc_results::AREA,
            vslc_results::routes as fn() -> AreaRouter,
        ),
        (
            vslc_invigilators::AREA,
            vslc_invigilators::routes as fn() -> AreaRouter,
        ),
        (
            vslc_weekly_reports::AREA,
            vslc_weekly_reports::routes as fn() -> AreaRouter,
        ),
        (
            vslc_statistics::AREA,
            vslc_statistics::routes as fn() -> AreaRouter,
        ),
        (vslc_users::AREA, vslc_users::routes as fn() -> AreaRouter),
        (
            vslc_imports::AREA,
            vslc_imports::routes as fn() -> AreaRouter,
        ),
        (vslc_verify::AREA, vslc_verify::routes as fn() -> AreaRouter),
        (vslc_audit::AREA, vslc_audit::routes as fn() -> AreaRouter),
    ]
}
