//! Domain newtypes: parse, don't validate. Handlers turn request text into
//! these at the edge; the error of `parse` is the Chinese message to show.

pub mod account;
pub mod id;
pub mod identity;
pub mod phone;
pub mod rich_text;
pub mod text;

pub use account::{AccountName, NewPassword, PersonName};
pub use id::{OptionalId, RecordId};
pub use identity::{Gender, IdDocument, IdType};
pub use phone::Phone;
pub use rich_text::RichText;
