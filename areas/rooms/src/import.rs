//! `rooms` (批量导入考场信息): one row per room of the plan in
//! `params.planId`, at a site the school may use, with the plan's subjects
//! there. Redelivery-safe: the name guard records the import, so a re-run
//! recognises the rooms it made; guard and room are written together.

use std::collections::HashMap;

use async_trait::async_trait;

use super::model::{Room, RoomStatus};
use super::service::{create_ops, new_room, room_fields, room_subjects, seats_fit};
use vslc_accounts::Tenant;
use vslc_exam::Plan;
use vslc_imports::{About, Column, ImportContext, ImportKind, Row, RowSink, Saved, Saving, saved};
use vslc_ports::AppState;
use vslc_sites::Site;

pub struct RoomsImport;

const H_SITE: &str = "考核站点名称";
const H_SUBJECTS: &str = "考试科目";
const H_NAME: &str = "考场名称";
const H_SEATS: &str = "座位数";
const H_LOCATION: &str = "考场地址";

fn plan_id(params: &serde_json::Value) -> Option<&str> {
    params
        .get("planId")
        .and_then(|p| p.as_str())
        .filter(|p| !p.is_empty())
}

/// The sites a school may use in a plan, by name.
async fn sites_by_name(
    state: &AppState,
    school: &Tenant,
    plan: &Plan,
) -> anyhow::Result<HashMap<String, Site>> {
    let sites = super::service::usable_sites(state, school, plan)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(sites
        .into_iter()
        .map(|(s, _)| (s.name.clone(), s))
        .collect())
}

#[async_trait]
impl ImportKind for RoomsImport {
    fn about(&self) -> About {
        About::school("rooms", "批量导入考场信息")
    }
    fn check_params(&self, params: &serde_json::Value) -> Result<(), String> {
        plan_id(params)
            .map(|_| ())
            .ok_or_else(|| "请先选择考试计划".into())
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        vec![
            Column::required(H_SITE, "从下拉列表选择本校或分配给本校的考核站点"),
            Column::required(
                H_SUBJECTS,
                "科目代码或名称，多个用顿号、分隔；考试方式须相同",
            ),
            Column::required(H_NAME, "同一计划、站点、证书下不可重复"),
            Column::required(H_SEATS, "1到1000的整数，不超过考核站点可容纳考生数"),
            Column::optional(H_LOCATION, "如 第一教学楼301"),
        ]
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        vec![
            "北方工业大学Web前端开发职业技能等级证书(初级)考核站点",
            "WEB01",
            "第1考场",
            "30",
            "第一教学楼301",
        ]
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 带 * 的列为必填项；请勿修改表头，第2行示例数据导入时自动忽略。".into(),
            "2. 导入前须先选择考试计划；考核站点须为本校审核通过或由培训评价组织分配给本校的站点。".into(),
            "3. 考试科目填写科目代码或名称，多个科目用顿号“、”分隔；同一考场的科目考试方式须相同，考场类型按考试方式自动生成。".into(),
            "4. 同一考试计划、考核站点、考核证书下考场名称不可重复。".into(),
            "5. 考场须在排考结束前设置；导入后可在导入记录中下载失败数据，修改后重新导入。".into(),
        ]
    }

    async fn choices(
        &self,
        state: &AppState,
        tenant: &Tenant,
        params: &serde_json::Value,
    ) -> anyhow::Result<HashMap<&'static str, Vec<String>>> {
        let Some(id) = plan_id(params) else {
            return Ok(HashMap::new());
        };
        let Some(plan) = Plan::for_school(state, tenant, id)
            .await
            .map_err(anyhow::Error::from)?
        else {
            return Ok(HashMap::new());
        };
        let mut names: Vec<String> = sites_by_name(state, tenant, &plan)
            .await?
            .into_keys()
            .collect();
        names.sort();
        Ok(HashMap::from([(H_SITE, names)]))
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let school = ctx.record.tenant.clone();
        let id = plan_id(&ctx.record.params).unwrap_or_default();
        let plan = Plan::for_school(ctx.state, &school, id)
            .await
            .map_err(anyhow::Error::from)?;
        let sites = match &plan {
            Some(p) => sites_by_name(ctx.state, &school, p).await?,
            None => HashMap::new(),
        };
        Ok(Box::new(RoomsSink {
            school,
            plan,
            sites,
            first_row: HashMap::new(),
            saved: Saved::default(),
        }))
    }
}

struct RoomsSink {
    school: Tenant,
    plan: Option<Plan>,
    sites: HashMap<String, Site>,
    /// (site, name) → first row.
    first_row: HashMap<(String, String), usize>,
    /// What this import saved, for `undo`.
    saved: Saved,
}

impl RoomsSink {
    /// The subject ids a cell names by code or name.
    fn subject_ids(plan: &Plan, site: &Site, cell: &str) -> Result<Vec<String>, String> {
        let mut ids = Vec::new();
        for part in cell
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let code = part.split_whitespace().next().unwrap_or(part);
            let s = plan
                .subjects
                .iter()
                .filter(|s| s.certificate_id == site.certificate_id && s.level == site.level)
                .find(|s| s.code == code || s.name == part)
                .ok_or_else(|| format!("该站点的证书等级在本计划中没有科目“{part}”"))?;
            ids.push(s.subject_id.clone());
        }
        Ok(ids)
    }
}

impl RoomsSink {
    /// One row: Ok(Err(reason)) for a bad row, Err for a fault worth a retry.
    async fn row(
        &mut self,
        ctx: &ImportContext<'_>,
        plan: &Plan,
        row: &Row,
    ) -> anyhow::Result<Result<(), String>> {
        let state = ctx.state;
        let checked = (|| {
            let site_name = row.cell(0).trim();
            let site = self
                .sites
                .get(site_name)
                .ok_or_else(|| format!("考核站点“{site_name}”不是本校可用的站点"))?;
            let ids = Self::subject_ids(plan, site, row.cell(1))?;
            let (subjects, room_type) = room_subjects(plan, site, &ids)?;
            let name = row.cell(2).trim();
            let seats: u32 = row
                .cell(3)
                .trim()
                .parse()
                .map_err(|_| "座位数须为整数".to_string())?;
            room_fields(name, seats, row.cell(4))?;
            seats_fit(site, seats)?;
            Ok::<_, String>((site.clone(), subjects, room_type, name.to_owned(), seats))
        })();
        let (site, subjects, room_type, name, seats) = match checked {
            Ok(c) => c,
            Err(reason) => return Ok(Err(reason)),
        };
        let dup = (site.id.clone(), name.clone());
        if let Some(first) = self.first_row.get(&dup) {
            return Ok(Err(format!("与第{first}行考场名称重复")));
        }
        self.first_row.insert(dup, row.number);
        let taken = || {
            Ok(Err(
                "同一考试计划、考核站点、考核证书下已有同名考场".to_string()
            ))
        };
        // A room this import made before a crash is its own.
        let name_key = Room::name_key(&plan.id, &site.id, &site.certificate_id, &name);
        let guard = state.table.get(&name_key).await?;
        if let Some(g) = guard {
            let mine = g.get("importId").and_then(|v| v.as_str()) == Some(ctx.record.id.as_str());
            if !mine {
                return taken();
            }
            if let Some(room) = g.get("roomId").and_then(|v| v.as_str()) {
                self.saved
                    .row([name_key, Room::key(&self.school, room)], None);
            }
            return Ok(Ok(()));
        }
        if ctx.dry_run {
            return Ok(Ok(()));
        }
        let room = new_room(
            state,
            &self.school,
            plan,
            &site,
            subjects,
            room_type,
            &name,
            seats,
            row.cell(4),
            Some(ctx.record.id.clone()),
        );
        let ops = create_ops(&room)?;
        match state.table.transact(ops).await {
            Ok(()) => {
                self.saved
                    .row([name_key, Room::key(&self.school, &room.id)], None);
                Ok(Ok(()))
            }
            Err(e) if e.is_conflict() => taken(),
            Err(e) => Err(e.into()),
        }
    }
}

#[async_trait]
impl RowSink for RoomsSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        let state = ctx.state;
        let Some(plan) = &self.plan else {
            return Ok(saved(
                rows.iter()
                    .map(|_| Err("考试计划不存在或本校不是参考院校".to_string()))
                    .collect(),
            ));
        };
        let now = state.clock.now_local();
        if RoomStatus::of(plan, now) == RoomStatus::Ended {
            return Ok(saved(
                rows.iter()
                    .map(|_| Err("考试计划的排考时间已结束，不能再设置考场".to_string()))
                    .collect(),
            ));
        }
        let plan = plan.clone();
        let mut outcomes = Vec::with_capacity(rows.len());
        for row in rows {
            outcomes.push(self.row(ctx, &plan, row).await?);
        }
        Ok(saved(outcomes))
    }

    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        // Rooms an earlier delivery of this import made: the school's rooms
        // carry the import's id (a few hundred at most).
        let earlier = super::service::all(ctx.state, &self.school)
            .await
            .map_err(anyhow::Error::from)?
            .into_iter()
            .filter(|r| r.import_id.as_deref() == Some(ctx.record.id.as_str()))
            .map(|r| {
                let keys = vec![
                    Room::name_key(&r.plan_id, &r.site_id, &r.certificate_id, &r.name),
                    Room::key(&self.school, &r.id),
                ];
                (keys, None)
            })
            .collect();
        self.saved
            .undo_with(ctx.state.table.as_ref(), earlier)
            .await
    }
}
