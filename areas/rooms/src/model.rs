//! The stored room.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_catalogue::certificate::Level;
use vslc_exam::window::Position;
use vslc_exam::{ExamMethod, Plan, RoomType};
use vslc_ports::table::{Index, Item, Key, TableError, to_indexed_item, to_item};
use vslc_sites::Site;

/// 考场状态, derived from the plan's 排考时间.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum RoomStatus {
    #[serde(rename = "未排考")]
    NotScheduled,
    #[serde(rename = "排考中")]
    Scheduling,
    #[serde(rename = "已结束")]
    Ended,
}

impl RoomStatus {
    pub fn label(self) -> &'static str {
        match self {
            RoomStatus::NotScheduled => "未排考",
            RoomStatus::Scheduling => "排考中",
            RoomStatus::Ended => "已结束",
        }
    }

    pub fn of(plan: &Plan, now: NaiveDateTime) -> Self {
        match plan.scheduling.position(now) {
            Position::Before => RoomStatus::NotScheduled,
            Position::Inside => RoomStatus::Scheduling,
            Position::After => RoomStatus::Ended,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomSubject {
    pub subject_id: String,
    pub code: String,
    pub name: String,
    pub method: ExamMethod,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    pub id: String,
    pub school_id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub site_id: String,
    pub site_name: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    pub subjects: Vec<RoomSubject>,
    /// 考场类型 (derived from the subjects).
    pub room_type: RoomType,
    /// 考场名称, unique per (plan, site, certificate).
    pub name: String,
    /// 座位数.
    pub seats: u32,
    /// 考场地址 (building, floor, room number).
    #[serde(default)]
    pub location: String,
    /// The import that created it, if any (re-runs recognise their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

impl Room {
    pub fn key(school: &Tenant, id: &str) -> Key {
        Key::new(school.pk(), format!("ROOM#{id}"))
    }

    /// The school hosting the room's site, when that is not the room's own
    /// school (借考).
    pub fn host(&self) -> Option<Tenant> {
        Site::school_of_id(&self.site_id).filter(|h| h.id != self.school_id)
    }

    /// The index partition of the rooms other schools set up at a host's
    /// sites (借考).
    pub fn hosted_index(host: &Tenant) -> String {
        format!("{}#HOSTEDROOMS", host.pk())
    }

    /// The stored item; a room at a borrowed site is also on the host's
    /// index, so the host sees it in its room list.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let school = Tenant::new(vslc_accounts::TenantKind::School, &self.school_id);
        let key = Self::key(&school, &self.id);
        match self.host() {
            Some(host) => {
                let on = Key::new(Self::hosted_index(&host), self.id.clone());
                to_indexed_item(&key, self, Index::Gsi1, on)
            }
            None => to_item(&key, self),
        }
    }

    /// The name guard lives with the site, so a host school and a school
    /// borrowing its site cannot both name a room alike.
    pub fn name_key(plan_id: &str, site_id: &str, certificate_id: &str, name: &str) -> Key {
        Key::new(
            format!("ROOMS#SITE#{site_id}"),
            format!("ROOMNAME#{plan_id}#{certificate_id}#{name}"),
        )
    }
}
