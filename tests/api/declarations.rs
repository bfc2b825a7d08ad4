//! 证书试点申报 over HTTP: the province's plans and their windows, by-major
//! and not-by-major declarations, the one-per-year guard (also under
//! concurrent submits), the city and province reviews, the pilot an
//! approval creates, the export, and cross-tenant probes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use vslc_accounts::{Role, Tenant, TenantKind};
use vslc_api_tests::{TestApp, XCell, spawn_app_with};
use vslc_app::seed::declarations::DEMO_DECLARATION_PLAN_ID as DEMO;
use vslc_ports::ManualClock;

const DUPLICATE: &str = "同一年度同一证书同一级别，只能申报一次";

/// 2026-03-04 08:00 China time (a Wednesday): the demo plan (第一批, by
/// major, no city review) is open from 03-03 08:00 to 04-03 08:00.
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-04T00:00:00Z")
        .unwrap()
        .to_utc()
}

async fn app() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start()));
    (spawn_app_with(clock.clone()).await, clock)
}

fn at(cst: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{cst}+08:00"))
        .unwrap()
        .to_utc()
}

fn line(code: &str, students: u32, teachers: u32, applied: u32) -> Value {
    json!({"code": code, "students": students, "teachers": teachers, "applied": applied})
}

fn declaration(plan: &str, cert: &str, level: &str, majors: Vec<Value>, submit: bool) -> Value {
    json!({
        "planId": plan, "certificateId": cert, "level": level, "majors": majors,
        "teachers": "专任教师12人", "facilities": "实训室3间",
        "description": "<p>申报<b>情况</b><script>alert(1)</script></p>", "submit": submit
    })
}

fn message(r: &vslc_api_tests::Resp) -> &str {
    r.body["message"].as_str().unwrap_or_default()
}

/// The file of `POST /api/declarations/export`.
async fn exported(app: &TestApp, token: &str, filter: Value) -> Vec<u8> {
    let r = app
        .post("/api/declarations/export", Some(token), filter)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.http
        .get(r.body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// 第二批: not by major, city review first, only the cloud certificate.
fn second_plan() -> Value {
    json!({
        "year": 2026, "batch": 2,
        "window": {"start": "2026-03-10 08:00", "end": "2026-03-20 08:00"},
        "byMajor": false, "cityReview": true, "allCertificates": false,
        "certificateIds": ["CERT0102"]
    })
}

#[tokio::test]
async fn plans_follow_their_window_and_the_city_reviews_before_the_province() {
    let (app, clock) = app().await;
    let province = app.login("province-admin").await;
    let city = app.login("city-reviewer").await;
    let mut school = app.login("school-admin").await;
    let org = app.login("org-admin").await;

    // Publishing: checked input, one plan per year and batch, province only.
    let mut bad = second_plan();
    bad["window"] = json!({"start": "2026-03-20 08:00", "end": "2026-03-10 08:00"});
    let r = app
        .post("/api/declarations/plans", Some(&province), bad)
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(message(&r).contains("申报时间的开始时间须早于结束时间"));
    let mut bad = second_plan();
    bad["certificateIds"] = json!([]);
    let r = app
        .post("/api/declarations/plans", Some(&province), bad)
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        app.post("/api/declarations/plans", Some(&school), second_plan())
            .await
            .status,
        403
    );
    assert_eq!(
        app.post("/api/declarations/plans", Some(&city), second_plan())
            .await
            .status,
        403,
        "the city reviewer does not publish"
    );
    let r = app
        .post("/api/declarations/plans", Some(&province), second_plan())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["batchLabel"], "第二批");
    assert_eq!(r.body["status"], "未开始");
    let plan = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .post("/api/declarations/plans", Some(&province), second_plan())
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(message(&r), "2026年度第二批的申报计划已存在");

    // Schools of the province see its plans, with the status from the clock.
    for account in ["school-admin", "school2-admin"] {
        let token = app.login(account).await;
        let r = app.get("/api/declarations/plans", Some(&token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let rows = r.body["items"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0]["batchLabel"].as_str(), rows[0]["status"].as_str()),
            (Some("第二批"), Some("未开始"))
        );
        assert_eq!(
            (rows[1]["batchLabel"].as_str(), rows[1]["status"].as_str()),
            (Some("第一批"), Some("进行中"))
        );
        assert_eq!(rows[1]["scopeLabel"], "全部");
    }
    assert_eq!(
        app.get("/api/declarations/plans", Some(&org)).await.status,
        403
    );
    let opened = app
        .get("/api/declarations/plans?status=进行中", Some(&school))
        .await;
    assert_eq!(opened.body["total"], 1);

    // Not yet open: no declaring; the province may still edit it.
    let mut input = declaration(&plan, "CERT0102", "中级", vec![], true);
    input["appliedTotal"] = json!(30);
    let r = app
        .post("/api/declarations", Some(&school), input.clone())
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(message(&r).contains("尚未开始"));
    let r = app
        .put_json(
            &format!("/api/declarations/plans/{plan}"),
            &province,
            second_plan(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Open: the plan is read-only; its scope and its rules apply.
    clock.set(at("2026-03-10T09:00:00"));
    // Sessions last a day: log in again after moving the clock.
    let (province, city) = (
        app.login("province-admin").await,
        app.login("city-reviewer").await,
    );
    school = app.login("school-admin").await;
    let r = app
        .put_json(
            &format!("/api/declarations/plans/{plan}"),
            &province,
            second_plan(),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(message(&r).contains("只有未开始的申报计划可以修改"));
    assert_eq!(
        app.delete(&format!("/api/declarations/plans/{plan}"), &province)
            .await
            .status,
        409
    );
    let r = app
        .post(
            "/api/declarations",
            Some(&school),
            declaration(&plan, "CERT0101", "中级", vec![], true),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(message(&r).contains("不在本批次申报计划的开放证书范围内"));
    let r = app
        .post(
            "/api/declarations",
            Some(&school),
            declaration(&plan, "CERT0102", "中级", vec![], true),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(message(&r), "请填写申请培训人数");
    let r = app
        .post("/api/declarations", Some(&school), input.clone())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["status"], "待市级审核");
    assert_eq!(r.body["appliedTotal"], 30);
    let html = r.body["description"].as_str().unwrap();
    assert!(
        html.contains("<b>情况</b>") && !html.contains("script"),
        "{html}"
    );
    let id = r.body["id"].as_str().unwrap().to_owned();

    // The city first, then the province.
    let approve = format!("/api/declarations/review/{id}/approve");
    let r = app.post(&approve, Some(&province), json!({})).await;
    assert_eq!(r.status, 409);
    assert!(message(&r).contains("只能审核“待初审”的申报"));
    let r = app.post(&approve, Some(&city), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "待初审");
    assert_eq!(app.post(&approve, Some(&city), json!({})).await.status, 409);
    let r = app
        .post(&approve, Some(&province), json!({"approvedTotal": 40}))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(message(&r), "审核总人数不能超过申请培训总人数");
    let r = app
        .post(&approve, Some(&province), json!({"approvedTotal": 25}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["approvedTotal"].as_u64()),
        (Some("审核通过"), Some(25))
    );
    let actions: Vec<&str> = r.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["提交", "市级审核通过", "审核通过"]);

    // Approved: the certificate level is one of the school's pilots.
    let certs = app
        .get("/api/certificates?pageSize=100", Some(&school))
        .await;
    let cloud = certs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CERT0102")
        .expect("CERT0102 is now a pilot certificate");
    assert_eq!(cloud["pilotLevels"], json!(["中级"]));

    // Exported without majors: the major columns stay empty, the totals and
    // the status stand under their own headers.
    let file = exported(&app, &school, json!({"certificateId": "CERT0102"})).await;
    let rows = vslc_imports::xlsx::read_first_sheet(&file).unwrap();
    let col = |h: &str| rows[0].iter().position(|c| c == h).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("证书等级")] == "中级")
        .expect("the approved declaration");
    assert_eq!(row.len(), rows[0].len(), "{row:?}");
    assert_eq!(row[col("专业代码")], "");
    assert_eq!(row[col("审核人数")], "");
    assert_eq!(row[col("申请总人数")], "30", "{row:?}");
    assert_eq!(row[col("审核总人数")], "25", "{row:?}");
    assert_eq!(row[col("审核状态")], "审核通过", "{row:?}");
    // The numbers are numbers; 学校代码 and 申报年度 stay text.
    let typed = vslc_api_tests::typed_sheet(&file);
    let row = typed
        .iter()
        .find(|r| r[col("证书等级")] == XCell::Text("中级".into()))
        .unwrap();
    assert_eq!(row[col("申请总人数")], XCell::Number(30.0), "{row:?}");
    assert_eq!(row[col("审核总人数")], XCell::Number(25.0), "{row:?}");
    assert_eq!(row[col("学校代码")], XCell::Text("10009".into()));
    assert_eq!(row[col("申报年度")], XCell::Text("2026".into()));

    // Not by major, majors named anyway: the total is still their sum, and
    // 申请培训人数 typed alongside is ignored.
    let mut with_majors = declaration(
        &plan,
        "CERT0102",
        "初级",
        vec![line("510206", 60, 3, 12), line("510205", 40, 2, 8)],
        false,
    );
    with_majors["appliedTotal"] = json!(500);
    let r = app
        .post("/api/declarations", Some(&school), with_majors)
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["appliedTotal"].as_u64()),
        (Some("未提交"), Some(20))
    );

    // Ended: no more declaring against it.
    clock.set(at("2026-03-20T08:00:00"));
    school = app.login("school-admin").await;
    let mut late = declaration(&plan, "CERT0102", "初级", vec![], true);
    late["appliedTotal"] = json!(10);
    let r = app.post("/api/declarations", Some(&school), late).await;
    assert_eq!(r.status, 409);
    assert!(message(&r).contains("已结束"));
    let r = app.get("/api/declarations/plans", Some(&school)).await;
    assert_eq!(r.body["items"][0]["status"], "已结束");
    app.stop().await;
}

#[tokio::test]
async fn by_major_declarations_sum_their_lines_and_are_returned_and_resubmitted() {
    let (app, _) = app().await;
    let province = app.login("province-admin").await;
    let school = app.login("school-admin").await;

    let r = app
        .post(
            "/api/declarations",
            Some(&school),
            declaration(DEMO, "CERT0101", "初级", vec![], false),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(message(&r), "本批次要求按专业填报，请选择拟申报专业");
    let refused = [
        (
            vec![line("530701", 10, 1, 5)],
            "不是Web前端开发职业技能等级证书的对应专业",
        ),
        (
            vec![line("510201", 10, 1, 50)],
            "申请培训人数不能超过本专业在校学生数",
        ),
        (
            vec![line("510201", 100, 5, 40), line("510201", 80, 4, 30)],
            "重复",
        ),
    ];
    for (lines, why) in refused {
        let input = declaration(DEMO, "CERT0101", "初级", lines, false);
        let r = app.post("/api/declarations", Some(&school), input).await;
        assert_eq!(r.status, 400, "{why}");
        assert!(message(&r).contains(why), "{}", r.body);
    }

    // 保存: the total is the sum of the lines, whatever was typed.
    let mut input = declaration(
        DEMO,
        "CERT0101",
        "初级",
        vec![line("510201", 100, 5, 40), line("510203", 80, 4, 30)],
        false,
    );
    input["appliedTotal"] = json!(999);
    let r = app
        .post("/api/declarations", Some(&school), input.clone())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["appliedTotal"].as_u64()),
        (Some("未提交"), Some(70))
    );
    assert_eq!(r.body["majors"][0]["name"], "计算机应用技术");
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .post("/api/declarations", Some(&school), input.clone())
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(message(&r), DUPLICATE);

    // A draft is the school's own.
    let review = app.get("/api/declarations/review", Some(&province)).await;
    assert_eq!(review.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        app.get(&format!("/api/declarations/review/{id}"), Some(&province))
            .await
            .status,
        404
    );

    // 编辑 + 保存并提交 (no city review: straight to 待初审).
    input["majors"] = json!([line("510201", 100, 5, 45), line("510203", 80, 4, 30)]);
    input["submit"] = json!(true);
    let path = format!("/api/declarations/{id}");
    let r = app.put_json(&path, &school, input.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["appliedTotal"].as_u64()),
        (Some("待初审"), Some(75))
    );
    let r = app.put_json(&path, &school, input.clone()).await;
    assert_eq!(r.status, 409);
    assert!(message(&r).contains("只有未提交、审核退回的申报可以编辑"));
    assert_eq!(
        app.delete(&path, &school).await.status,
        409,
        "only drafts are deleted"
    );

    // 退回 needs a reason; the school edits and resubmits.
    let back = format!("/api/declarations/review/{id}/return");
    assert_eq!(
        app.post(&back, Some(&province), json!({"reason": " "}))
            .await
            .status,
        400
    );
    let r = app
        .post(
            &back,
            Some(&province),
            json!({"reason": "请核实在校学生数"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "审核退回");
    let mine = app.get(&path, Some(&school)).await;
    assert_eq!(mine.body["reviewReason"], "请核实在校学生数");
    assert_eq!(mine.body["school"]["contact"], "张老师");
    input["majors"] = json!([line("510201", 90, 5, 45), line("510203", 80, 4, 30)]);
    input["submit"] = json!(false);
    let r = app.put_json(&path, &school, input.clone()).await;
    assert_eq!(r.body["status"], "审核退回", "保存 keeps the status");
    let r = app
        .post(&format!("{path}/submit"), Some(&school), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "待初审");

    // Approval with 审核人数 per line, never above what was applied for,
    // and for every line once any is given.
    let approve = format!("/api/declarations/review/{id}/approve");
    let r = app
        .post(
            &approve,
            Some(&province),
            json!({"lines": [{"code": "510201", "approved": 40}]}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(message(&r), "请填写专业“510203 软件技术”的审核人数");
    let r = app
        .post(&approve, Some(&province), json!({"lines": [{"code": "510201", "approved": 40}, {"code": "510203", "approved": 31}]}))
        .await;
    assert_eq!(r.status, 400);
    assert!(message(&r).contains("审核人数不能超过申请培训人数30"));
    let r = app
        .post(&approve, Some(&province), json!({"lines": [{"code": "510201", "approved": 40}, {"code": "510203", "approved": 30}]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["approvedTotal"], 70);
    assert_eq!(r.body["majors"][0]["approved"], 40);
    assert_eq!(r.body["history"].as_array().unwrap().len(), 4);
    assert_eq!(
        app.post(&back, Some(&province), json!({"reason": "x"}))
            .await
            .status,
        409
    );

    // Lists and the export.
    let list = app
        .get("/api/declarations?year=2026&status=审核通过", Some(&school))
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["approvedTotal"], 70);
    for token in [&school, &province] {
        let r = app
            .post(
                "/api/declarations/export",
                Some(token),
                json!({"certificateId": "CERT0101"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["rows"], 2, "one row per declared major");
        let bytes = app
            .http
            .get(r.body["url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(bytes.starts_with(b"PK"), "an xlsx");
    }
    app.stop().await;
}

#[tokio::test]
async fn one_declaration_per_year_certificate_and_level_even_under_concurrent_submits() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let input = declaration(
        DEMO,
        "CERT0105",
        "初级",
        vec![line("510203", 60, 3, 20)],
        true,
    );
    let go = || app.post("/api/declarations", Some(&school), input.clone());
    let (a, b, c, d) = tokio::join!(go(), go(), go(), go());
    let results = [a, b, c, d];
    let created = results.iter().filter(|r| r.status == 201).count();
    let refused: Vec<_> = results.iter().filter(|r| r.status == 409).collect();
    assert_eq!(created, 1, "exactly one lands");
    assert_eq!(refused.len(), 3);
    assert!(refused.iter().all(|r| message(r) == DUPLICATE));
    // Another level, or another school, is a declaration of its own.
    let other = declaration(
        DEMO,
        "CERT0105",
        "中级",
        vec![line("510203", 60, 3, 20)],
        true,
    );
    assert_eq!(
        app.post("/api/declarations", Some(&school), other)
            .await
            .status,
        201
    );
    let school2 = app.login("school2-admin").await;
    assert_eq!(
        app.post("/api/declarations", Some(&school2), input)
            .await
            .status,
        201
    );
    app.stop().await;
}

#[tokio::test]
async fn declarations_stay_within_their_school_and_province() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let province = app.login("province-admin").await;
    let org = app.login("org-admin").await;
    let r = app
        .post(
            "/api/declarations",
            Some(&school),
            declaration(
                DEMO,
                "CERT0101",
                "中级",
                vec![line("510201", 100, 5, 40)],
                true,
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/declarations/{id}");
    let edit = declaration(
        DEMO,
        "CERT0101",
        "中级",
        vec![line("510201", 100, 5, 40)],
        false,
    );

    // Another school: nothing to see, nothing to touch.
    assert_eq!(
        app.get("/api/declarations", Some(&school2)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(app.get(&path, Some(&school2)).await.status, 404);
    assert_eq!(
        app.put_json(&path, &school2, edit.clone()).await.status,
        404
    );
    assert_eq!(app.delete(&path, &school2).await.status, 404);
    assert_eq!(
        app.post(&format!("{path}/submit"), Some(&school2), json!({}))
            .await
            .status,
        404
    );
    let r = app
        .post("/api/declarations/export", Some(&school2), json!({}))
        .await;
    assert_eq!(r.body["rows"], 0);
    // Schools do not review; orgs have no part in declarations.
    assert_eq!(
        app.get("/api/declarations/review", Some(&school))
            .await
            .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/api/declarations/review/{id}/approve"),
            Some(&school),
            json!({})
        )
        .await
        .status,
        403
    );
    assert_eq!(app.get("/api/declarations", Some(&org)).await.status, 403);
    assert_eq!(
        app.get("/api/declarations/review", Some(&org)).await.status,
        403
    );
    assert_eq!(
        app.post("/api/declarations/export", Some(&org), json!({}))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get(&format!("/api/declarations/review/{id}"), Some(&province))
            .await
            .status,
        200
    );

    // A second province with a school of its own sees only those.
    let state = app.running.as_ref().unwrap().state.clone();
    let sh_school = Tenant::new(TenantKind::School, "10247");
    let mut profile =
        vslc_catalogue::school::load(&state, &Tenant::new(TenantKind::School, "10009"))
            .await
            .unwrap();
    profile.code = "10247".into();
    profile.name = "上海示范职业学院".into();
    profile.province = "上海市".into();
    vslc_catalogue::school::put(&state, &sh_school, &profile)
        .await
        .unwrap();
    app.add_account(
        "sh-province",
        Tenant::new(TenantKind::Province, "310000"),
        "上海市教育委员会",
        Role::ProvinceAdmin,
    )
    .await;
    app.add_account(
        "sh-school",
        sh_school,
        "上海示范职业学院",
        Role::SchoolAdmin,
    )
    .await;
    let sh = app.login("sh-province").await;
    let sh_school = app.login("sh-school").await;
    assert_eq!(
        app.get("/api/declarations/review", Some(&sh)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        app.get(&format!("/api/declarations/review/{id}"), Some(&sh))
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(
            &format!("/api/declarations/review/{id}/approve"),
            Some(&sh),
            json!({})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.post(
            &format!("/api/declarations/review/{id}/return"),
            Some(&sh),
            json!({"reason": "x"})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.post("/api/declarations/export", Some(&sh), json!({}))
            .await
            .body["rows"],
        0
    );
    assert_eq!(
        app.get("/api/declarations/plans", Some(&sh_school))
            .await
            .body["total"],
        0,
        "Beijing's plans are not Shanghai's"
    );
    assert_eq!(
        app.get(&format!("/api/declarations/plans/{DEMO}"), Some(&sh_school))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/declarations/plans/{DEMO}"), Some(&sh))
            .await
            .status,
        404
    );
    let plan_path = format!("/api/declarations/plans/{DEMO}");
    let plan_body = second_plan();
    assert_eq!(
        app.put_json(&plan_path, &sh, plan_body.clone())
            .await
            .status,
        404
    );
    assert_eq!(app.delete(&plan_path, &sh).await.status, 404);
    assert_eq!(
        app.put_json(&plan_path, &school, plan_body).await.status,
        403
    );
    assert_eq!(app.delete(&plan_path, &school).await.status, 403);
    assert_eq!(
        app.get(&format!("{plan_path}/certificates"), Some(&sh_school))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("{plan_path}/certificates"), Some(&org))
            .await
            .status,
        403
    );
    let r = app
        .post(
            "/api/declarations",
            Some(&sh_school),
            declaration(
                DEMO,
                "CERT0101",
                "中级",
                vec![line("510201", 100, 5, 40)],
                true,
            ),
        )
        .await;
    assert_eq!(
        r.status, 404,
        "a school declares only against its province's plans"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_approved_declaration_limits_registration_to_the_majors_it_named() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let province = app.login("province-admin").await;
    let r = app
        .post(
            "/api/declarations",
            Some(&school),
            declaration(
                DEMO,
                "CERT0101",
                "中级",
                vec![line("510201", 100, 5, 40)],
                true,
            ),
        )
        .await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/declarations/review/{id}/approve"),
            Some(&province),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let mut rows = vec![vec![
        "*考生编号或证件号码",
        "姓名",
        "*考试证书",
        "*证书等级",
    ]];
    let mut ids = Vec::new();
    for (n, major) in [(1, "510201"), (2, "510203")] {
        let id_no = vslc_api_tests::id_number(n, n);
        let body = json!({"kind": "school", "name": "学生", "namePinyin": "XUE SHENG", "idType": "身份证",
                          "idNumber": id_no, "phone": "18512340926", "majorCode": major, "enrolmentYear": 2024});
        let r = app.post("/api/candidates", Some(&school), body).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let no = r.body["candidateNo"].as_str().unwrap().to_owned();
        app.set_candidate(
            &no,
            vslc_ports::table::Update::new().set("status", "信息准确"),
        )
        .await;
        ids.push(no);
    }
    for no in &ids {
        rows.push(vec![no, "", "Web前端开发职业技能等级证书", "中级"]);
    }
    let upload = app
        .upload_import_with(
            &school,
            "registrations-by-certificate",
            "报考.xlsx",
            vslc_api_tests::workbook(&rows),
            false,
            json!({"planId": vslc_app::seed::exam::DEMO_PLAN_ID}),
        )
        .await;
    let rec = app.wait_import(&school, &upload).await;
    assert_eq!(
        (rec["success"].as_u64(), rec["failed"].as_u64()),
        (Some(1), Some(1)),
        "{rec}"
    );
    assert_eq!(
        app.failure_reasons(&rec).await,
        vec!["第3行：考生就读专业 510203 软件技术 不在本校试点申报的专业之内"]
    );
    app.stop().await;
}
