//! 批量导入: the pipeline is `vslc-imports`; the list of kinds is
//! assembled here, at the composition root, from the areas that import.

use std::sync::Arc;

pub use vslc_imports::*;

/// The platform's import kinds. Areas add theirs here as they land.
pub fn registry() -> Registry {
    Registry::default()
        .with(Arc::new(demo_notes::DemoNotes))
        .with(Arc::new(crate::candidates::import::CandidatesImport))
        .with(Arc::new(crate::rooms::import::RoomsImport))
        .with(Arc::new(
            crate::registrations::import::RegistrationsImport {
                mode: crate::exam::plans::RegistrationMode::ByCertificate,
            },
        ))
        .with(Arc::new(
            crate::registrations::import::RegistrationsImport {
                mode: crate::exam::plans::RegistrationMode::BySubject,
            },
        ))
        .with(Arc::new(crate::candidates::photo_import::PhotosImport))
        .with(Arc::new(crate::candidates::update_import::CandidatesUpdate))
}
