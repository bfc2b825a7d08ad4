use serde_json::{Value, json};
use vslc_api_tests::{
    CANDIDATE_HEAD as HEAD, TestApp, candidate_roster as roster, id_number, spawn_app, workbook,
};
use vslc_ports::{QueueName, QueueRef};

async fn import(app: &TestApp, token: &str, bytes: Vec<u8>, dry_run: bool) -> Value {
    let r = app.post("/api/imports", Some(token), json!({"type": "candidates", "fileName": "考生.xlsx", "params": {"kind": "school"}, "dryRun": dry_run})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.put_upload(&r.body, bytes).await, 200);
    app.wait_import(token, r.body["id"].as_str().unwrap()).await
}

async fn count(app: &TestApp, token: &str) -> u64 {
    app.get("/api/candidates?pageSize=1", Some(token))
        .await
        .body["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_roster_with_bad_rows_saves_the_good_ones_and_explains_the_rest() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let existing = json!({"kind": "school", "name": "已有", "namePinyin": "YI YOU", "idType": "身份证", "idNumber": id_number(9, 9),
        "phone": "18512340926", "majorCode": "510201", "enrolmentYear": 2024});
    assert_eq!(
        app.post("/api/candidates", Some(&t), existing).await.status,
        201
    );
    let good = id_number(1, 1);
    let mut bad_check = id_number(2, 2);
    bad_check.replace_range(17..18, if bad_check.ends_with('0') { "1" } else { "0" });
    let s = |v: &str| v.to_string();
    let rows: Vec<Vec<String>> = vec![
        HEAD.iter().map(|h| s(h)).collect(),
        vec![
            s("王强"),
            s("WANG QIANG"),
            s(""),
            s("身份证"),
            good.clone(),
            s("18512340926"),
            s("510201 计算机应用技术"),
            s(""),
            s("2024"),
        ],
        vec![
            s("李四"),
            s("LI SI"),
            s(""),
            s("身份证"),
            bad_check,
            s("18512340926"),
            s("510201"),
            s(""),
            s("2024"),
        ],
        vec![
            s("王强"),
            s("WANG QIANG"),
            s(""),
            s("身份证"),
            good.clone(),
            s("18512340926"),
            s("510201"),
            s(""),
            s("2024"),
        ],
        vec![
            s("赵六"),
            s("ZHAO LIU"),
            s(""),
            s("身份证"),
            id_number(3, 3),
            s("18512340926"),
            s("999999"),
            s(""),
            s("2024"),
        ],
        vec![
            s("已有"),
            s("YI YOU"),
            s(""),
            s(""),
            id_number(9, 9),
            s("18512340926"),
            s("510201"),
            s(""),
            s("2024"),
        ],
        vec![
            s("钱七"),
            s("QIAN QI"),
            s("男"),
            s("护照"),
            s("E12345678"),
            s("13800000000"),
            s("530701"),
            s("高职专科"),
            s("2023"),
        ],
        // 就读专业 by its exact catalogue name.
        vec![
            s("孙八"),
            s("SUN BA"),
            s(""),
            s("身份证"),
            id_number(4, 4),
            s("18512340926"),
            s("软件技术"),
            s(""),
            s("2024"),
        ],
    ];
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let done = import(&app, &t, workbook(&refs), false).await;
    assert_eq!(
        (
            done["total"].as_u64(),
            done["success"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(7), Some(3), Some(4)),
        "{done}"
    );
    let bytes = app
        .http
        .get(done["failedRowsUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let failed = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    let reasons: Vec<&str> = failed[1..]
        .iter()
        .map(|r| r.last().unwrap().as_str())
        .collect();
    assert_eq!(
        reasons,
        vec![
            "第3行：身份证号码校验位错误",
            "第4行：与第2行证件号码重复",
            "第5行：就读专业 999999 不在证书专业目录中",
            "第6行：该考生已存在"
        ]
    );
    assert_eq!(count(&app, &t).await, 4);
    let listed = app.get("/api/candidates?name=孙八", Some(&t)).await;
    assert_eq!(
        listed.body["items"][0]["major"]["code"], "510203",
        "{}",
        listed.body
    );
    app.stop().await;
}

#[tokio::test]
async fn dry_runs_save_nothing_and_reimports_duplicate_nothing() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let ids: Vec<String> = (0..50).map(|i| id_number(i, i)).collect();
    let dry = import(&app, &t, roster(&ids), true).await;
    assert_eq!(dry["success"], 50);
    assert_eq!(count(&app, &t).await, 0, "校验 saves nothing");
    let first = import(&app, &t, roster(&ids), false).await;
    assert_eq!(first["success"], 50);
    let again = import(&app, &t, roster(&ids), false).await;
    assert_eq!(
        (again["success"].as_u64(), again["failed"].as_u64()),
        (Some(0), Some(50))
    );
    assert_eq!(count(&app, &t).await, 50);
    app.stop().await;
}

#[tokio::test]
async fn a_redelivered_or_interrupted_import_never_duplicates_a_candidate() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let ids: Vec<String> = (0..120).map(|i| id_number(i, i)).collect();
    let done = import(&app, &t, roster(&ids), false).await;
    assert_eq!(done["success"], 120);
    let id = done["id"].as_str().unwrap().to_owned();

    // As if the worker had died before finishing.
    app.redeliver_import("10009", &id).await;
    let again = app.wait_import(&t, &id).await;
    assert_eq!(
        (again["success"].as_u64(), again["failed"].as_u64()),
        (Some(120), Some(0)),
        "its own rows are not duplicates of themselves"
    );
    assert_eq!(count(&app, &t).await, 120);
    // A plain redelivery of a finished import changes nothing.
    let state = app.running.as_ref().unwrap().state.clone();
    let event = vslc_adapters::embedded::serve::s3_created_event(
        state.uploads.bucket(),
        &format!("imports/school/10009/{id}.xlsx"),
        1,
    );
    vslc_ports::queue::send(
        state.queue.as_ref(),
        QueueRef::main(QueueName::Imports),
        event,
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(count(&app, &t).await, 120);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_overlapping_imports_create_each_candidate_once() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let a: Vec<String> = (0..300).map(|i| id_number(i, i)).collect();
    let b: Vec<String> = (150..450).map(|i| id_number(i, i)).collect();
    let (x, y) = tokio::join!(
        import(&app, &t, roster(&a), false),
        import(&app, &t, roster(&b), false)
    );
    let won = x["success"].as_u64().unwrap() + y["success"].as_u64().unwrap();
    assert_eq!(
        won, 450,
        "each of the 450 people created by exactly one import: {x} {y}"
    );
    assert_eq!(count(&app, &t).await, 450);
    app.stop().await;
}

#[tokio::test]
async fn templates_follow_the_candidate_kind() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let get = |q: &str| {
        app.http
            .get(app.url(&format!("/api/imports/templates/candidates{q}")))
            .bearer_auth(&t)
            .send()
    };
    let school = get("?kind=school").await.unwrap().bytes().await.unwrap();
    let rows = vslc_imports::xlsx::read_first_sheet(&school).unwrap();
    assert_eq!(rows[0], HEAD.to_vec());
    let social = get("?kind=social").await.unwrap().bytes().await.unwrap();
    assert_eq!(
        vslc_imports::xlsx::read_first_sheet(&social).unwrap()[0]
            .last()
            .unwrap(),
        "工作单位"
    );
    assert_eq!(get("").await.unwrap().status().as_u16(), 400);
    let no_kind = app
        .post(
            "/api/imports",
            Some(&t),
            json!({"type": "candidates", "fileName": "a.xlsx"}),
        )
        .await;
    assert_eq!(
        (no_kind.status, no_kind.body["message"].as_str()),
        (400, Some("请选择考生类型（院校考生或社会考生）"))
    );
    let org = app.login("org-admin").await;
    assert_eq!(
        app.post(
            "/api/imports",
            Some(&org),
            json!({"type": "candidates", "fileName": "a.xlsx", "params": {"kind": "school"}})
        )
        .await
        .status,
        403
    );
    app.stop().await;
}

#[tokio::test]
async fn batch_updates_follow_the_edit_rules() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let ids: Vec<String> = (0..2).map(|i| id_number(i, i)).collect();
    assert_eq!(import(&app, &t, roster(&ids), false).await["success"], 2);
    let list = app.get("/api/candidates", Some(&t)).await;
    let no_of = |id: &str| -> String {
        let suffix = &id[14..];
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["idNumber"].as_str().unwrap().ends_with(suffix))
            .unwrap()["candidateNo"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (a, b) = (no_of(&ids[0]), no_of(&ids[1]));
    app.set_candidate(
        &b,
        vslc_ports::table::Update::new().set("status", "信息准确"),
    )
    .await;

    let head = [
        "*考生编号",
        "姓名",
        "姓名拼音",
        "性别",
        "学生类型",
        "证件类型",
        "证件号码",
        "手机号",
        "就读专业",
        "专业层次",
        "入学年份",
        "工作单位",
    ];
    let rows: Vec<Vec<&str>> = vec![
        head.to_vec(),
        vec![
            &a,
            "",
            "",
            "",
            "",
            "",
            "",
            "13900001111",
            "530701",
            "",
            "",
            "",
        ],
        vec![&b, "改名", "", "", "", "", "", "", "", "", "", ""],
        vec![
            "99999999999999999999999999",
            "",
            "",
            "",
            "",
            "",
            "",
            "13900001111",
            "",
            "",
            "",
            "",
        ],
        vec![&a, "", "", "", "", "", "", "13900002222", "", "", "", ""],
    ];
    let r = app
        .post(
            "/api/imports",
            Some(&t),
            json!({"type": "candidates-update", "fileName": "修改.xlsx"}),
        )
        .await;
    app.put_upload(&r.body, workbook(&rows)).await;
    let done = app.wait_import(&t, r.body["id"].as_str().unwrap()).await;
    assert_eq!(
        (done["success"].as_u64(), done["failed"].as_u64()),
        (Some(1), Some(3)),
        "{done}"
    );
    let bytes = app
        .http
        .get(done["failedRowsUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let failed = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    let reasons: Vec<&str> = failed[1..]
        .iter()
        .map(|r| r.last().unwrap().as_str())
        .collect();
    assert_eq!(
        reasons,
        vec![
            "第3行：考生信息已准确，不能修改姓名",
            "第4行：本校没有考生编号为 99999999999999999999999999 的考生",
            "第5行：与第2行考生编号重复"
        ]
    );
    let one = app.get(&format!("/api/candidates/{a}"), Some(&t)).await;
    assert_eq!(
        (
            one.body["phone"].as_str(),
            one.body["major"]["code"].as_str()
        ),
        (Some("13900001111"), Some("530701"))
    );
    assert_eq!(one.body["name"], "学生0", "blank cells change nothing");
    let r = app
        .post(
            "/api/imports",
            Some(&t),
            json!({"type": "candidates-update", "fileName": "修改2.xlsx"}),
        )
        .await;
    app.put_upload(
        &r.body,
        workbook(&[
            head.to_vec(),
            vec![&b, "", "", "", "", "", "", "13900003333", "", "", "", ""],
        ]),
    )
    .await;
    assert_eq!(
        app.wait_import(&t, r.body["id"].as_str().unwrap()).await["success"],
        1
    );
    let two = app.get(&format!("/api/candidates/{b}"), Some(&t)).await;
    assert_eq!(
        two.body["phone"], "13900003333",
        "other fields of an accurate candidate still change"
    );
    app.stop().await;
}
