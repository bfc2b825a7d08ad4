//! The catalogue of areas: one entry per first path segment under `/api`
//! (PLATFORM.md §7). `vslc-local` serves all of them; each also runs as its
//! own Lambda function.

use vslc_http::{Area, AreaRouter};

/// Every area with the function building its routes.
pub fn all() -> Vec<(Area, fn() -> AreaRouter)> {
    vec![
        (
            vslc_auth_api::AREA,
            vslc_auth_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_orgs_api::AREA,
            vslc_orgs_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_schools_api::AREA,
            vslc_schools_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_standards_api::AREA,
            vslc_standards_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_certificates_api::AREA,
            vslc_certificates_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_issuance_api::AREA,
            vslc_issuance_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_declarations_api::AREA,
            vslc_declarations_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_exam_api::AREA,
            vslc_exam_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_candidates_api::AREA,
            vslc_candidates_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_sites_api::AREA,
            vslc_sites_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_rooms_api::AREA,
            vslc_rooms_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_registrations_api::AREA,
            vslc_registrations_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_payments_api::AREA,
            vslc_payments_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_scheduling_api::AREA,
            vslc_scheduling_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_scores_api::AREA,
            vslc_scores_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_results_api::AREA,
            vslc_results_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_invigilators_api::AREA,
            vslc_invigilators_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_weekly_reports_api::AREA,
            vslc_weekly_reports_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_statistics_api::AREA,
            vslc_statistics_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_users_api::AREA,
            vslc_users_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_imports_api::AREA,
            vslc_imports_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_verify_api::AREA,
            vslc_verify_api::routes as fn() -> AreaRouter,
        ),
        (
            vslc_audit_api::AREA,
            vslc_audit_api::routes as fn() -> AreaRouter,
        ),
    ]
}
