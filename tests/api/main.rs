//! Black-box API tests over HTTP against the dev server.

mod auth;
mod candidate_imports;
mod candidate_photos;
mod candidates;
mod catalogue;
mod exam;
mod imports;
mod institutions;
mod platform;
mod registrations;
mod users;
