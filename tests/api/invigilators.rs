//! 监考人员 over HTTP: the school's 新增 / 编辑 / 删除 rules, the org's 认证
//! and 驳回 (single, batch, concurrent), 批量导入 and 批量导出, and every
//! route's tenant isolation.

use serde_json::{Value, json};
use vslc_api_tests::{TestApp, XCell, id_number, spawn_app, typed_sheet, workbook};

const BASE: &str = "/api/invigilators";
const WEB: &str = "Web前端开发职业技能等级证书";
const SHOP: &str = "网店运营推广职业技能等级证书";

fn person(no: &str, name: &str, id: &str, certs: &[&str]) -> Value {
    json!({"teacherNo": no, "name": name, "phone": "18512340926", "idType": "身份证",
           "idNumber": id, "certificateIds": certs})
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post(BASE, Some(token), body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

/// The certification id of an invigilator's certificate.
fn cert_of(view: &Value, certificate_id: &str) -> String {
    view["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["certificateId"] == certificate_id)
        .unwrap_or_else(|| panic!("no {certificate_id} in {view}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn id_of(view: &Value) -> String {
    view["id"].as_str().unwrap().to_owned()
}

/// The school's invigilator with this 教师编号, as the list shows it.
async fn listed(app: &TestApp, token: &str, teacher_no: &str) -> Value {
    let r = app
        .get(&format!("{BASE}?teacherNo={teacher_no}"), Some(token))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["teacherNo"] == teacher_no)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn total(app: &TestApp, token: &str) -> u64 {
    let r = app.get(BASE, Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["total"].as_u64().unwrap()
}

async fn decide(app: &TestApp, token: &str, id: &str, action: &str, body: Value) -> (u16, Value) {
    let r = app
        .post(&format!("{BASE}/review/{id}/{action}"), Some(token), body)
        .await;
    (r.status, r.body)
}

#[tokio::test]
async fn new_invigilators_are_checked_and_teacher_numbers_stay_unique() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let options = app.get(&format!("{BASE}/certificates"), Some(&t)).await;
    assert_eq!(options.status, 200, "{}", options.body);
    let ids: Vec<&str> = options
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"CERT0101") && ids.contains(&"CERT0201"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"CERT0301"), "not a pilot of this school");

    let before = total(&app, &t).await;
    let created = create(
        &app,
        &t,
        person("T001", "张明", &id_number(1, 1), &["CERT0101", "CERT0201"]),
    )
    .await;
    assert_eq!(created["phone"], "18512340926", "查看 shows the full phone");
    assert_eq!(created["schoolName"], "北方工业大学");
    assert_eq!(created["region"], "北京市");
    let statuses: Vec<&Value> = created["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["status"])
        .collect();
    assert_eq!(statuses, [&json!("待认证"), &json!("待认证")]);

    let refused = |body: Value| {
        let app = &app;
        let t = &t;
        async move { app.post(BASE, Some(t), body).await }
    };
    let r = refused(person("T002", "李四", "110105194912310021", &["CERT0101"])).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("身份证号码校验位错误")),
        "{}",
        r.body
    );
    let mut bad_phone = person("T002", "李四", &id_number(2, 2), &["CERT0101"]);
    bad_phone["phone"] = json!("1851234092");
    let r = refused(bad_phone).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("手机号格式不正确，请输入11位手机号"))
    );
    let r = refused(person("t001", "李四", &id_number(2, 2), &["CERT0101"])).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (409, Some("TEACHER_NO_TAKEN"))
    );
    assert_eq!(
        r.body["message"],
        "教师编号“t001”已存在，同一学校内教师编号不能重复"
    );
    let r = refused(person("T003", "张明", &id_number(1, 1), &["CERT0101"])).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (409, Some("证件号码相同的监考人员已存在"))
    );
    let r = refused(person("T004", "王五", &id_number(4, 4), &["CERT0301"])).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("证书“CERT0301”不是本校已参与试点的证书"))
    );
    let r = refused(person("T004", "王五", &id_number(4, 4), &[])).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("请至少选择一个申请证书"))
    );
    let r = refused(person("T#4", "王五", &id_number(4, 4), &["CERT0101"])).await;
    assert_eq!(r.status, 400);
    let mut bad_type = person("T004", "王五", &id_number(4, 4), &["CERT0101"]);
    bad_type["idType"] = json!("军官证");
    assert_eq!(refused(bad_type).await.status, 400);
    assert_eq!(
        total(&app, &t).await,
        before + 1,
        "nothing of a refused one is written"
    );

    // The list masks; 查看 shows everything.
    let row = listed(&app, &t, "T001").await;
    assert_eq!(row["phone"], "185****0926");
    assert_eq!(row["idNumber"].as_str().unwrap().len(), 12, "{row}");
    assert!(row["idNumber"].as_str().unwrap().contains("*****"));
    let full = app
        .get(&format!("{BASE}/{}", id_of(&created)), Some(&t))
        .await;
    assert_eq!(full.status, 200);
    assert_eq!(full.body["idNumber"], id_number(1, 1));
    // Filters: certificate and 认证状态.
    let r = app
        .get(
            &format!("{BASE}?certificateId=CERT0201&status=待认证"),
            Some(&t),
        )
        .await;
    let nos: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["teacherNo"].as_str().unwrap())
        .collect();
    assert!(
        nos.contains(&"T001") && nos.contains(&"JE10001") && !nos.contains(&"JE10002"),
        "{nos:?}"
    );
    let r = app
        .get(&format!("{BASE}?name=张&pageSize=1"), Some(&t))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn edits_add_and_remove_certificates_but_never_a_certified_one() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let org = app.login("org-admin").await;
    let created = create(
        &app,
        &t,
        person("T010", "张明", &id_number(10, 1), &["CERT0101", "CERT0201"]),
    )
    .await;
    let id = id_of(&created);
    let web = cert_of(&created, "CERT0101");
    let (s, b) = decide(&app, &org, &web, "certify", json!({})).await;
    assert_eq!((s, b["status"].as_str()), (200, Some("已认证")), "{b}");

    let edit = |body: Value| {
        let (app, t, id) = (&app, &t, &id);
        async move { app.put_json(&format!("{BASE}/{id}"), t, body).await }
    };
    let r = edit(person("T010", "张明", &id_number(10, 1), &["CERT0201"])).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (409, Some("CERTIFIED")),
        "{}",
        r.body
    );
    assert_eq!(
        r.body["message"],
        format!("“{WEB}”为已认证的监考证书，无法删除")
    );
    // Who was certified stays who it is.
    let r = edit(person(
        "T010",
        "张明明",
        &id_number(10, 1),
        &["CERT0101", "CERT0103"],
    ))
    .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (409, Some("IDENTITY_FROZEN")),
        "{}",
        r.body
    );
    assert_eq!(
        r.body["message"],
        "该监考人员已有认证通过的证书，姓名、证件类型和证件号码不能修改"
    );
    let r = edit(person(
        "T010",
        "张明",
        &id_number(10, 1),
        &["CERT0101", "CERT0103"],
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let certs: Vec<(&str, &str)> = r.body["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["certificateCode"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(certs, [("0101", "已认证"), ("0103", "待认证")]);
    let seen = app.get(&format!("{BASE}/review/{web}"), Some(&org)).await;
    assert_eq!(seen.body["name"], "张明", "{}", seen.body);
    let after = app.get(&format!("{BASE}/{id}"), Some(&t)).await;
    assert_eq!(after.body["certificates"].as_array().unwrap().len(), 2);

    let r = edit(person("JE10002", "张明", &id_number(10, 1), &["CERT0101"])).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (409, Some("TEACHER_NO_TAKEN"))
    );
    let r = edit(person("T010", "张明", &id_number(10, 1), &["CERT0301"])).await;
    assert_eq!(
        r.status, 409,
        "removing the certified one comes first: {}",
        r.body
    );
    let r = edit(person(
        "T010",
        "张明",
        &id_number(10, 1),
        &["CERT0101", "CERT0301"],
    ))
    .await;
    assert_eq!(r.status, 400, "{}", r.body);

    let r = app.delete(&format!("{BASE}/{id}"), &t).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (409, Some("该监考人员存在已认证的证书，无法删除"))
    );
    // A new teacher number frees the old one.
    let r = edit(person("T011", "张明", &id_number(10, 1), &["CERT0101"])).await;
    assert_eq!(r.status, 200, "{}", r.body);
    create(
        &app,
        &t,
        person("T010", "新老师", &id_number(11, 1), &["CERT0101"]),
    )
    .await;
    assert_eq!(
        listed(&app, &t, "T011").await["certificates"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn deleting_frees_the_teacher_number_and_batches_answer_per_id() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let org2 = app.login("org2-admin").await;
    let created = create(
        &app,
        &t,
        person("T020", "赵一", &id_number(20, 1), &["CERT0201"]),
    )
    .await;
    let id = id_of(&created);
    let shop = cert_of(&created, "CERT0201");
    let (s, _) = decide(
        &app,
        &org2,
        &shop,
        "reject",
        json!({"reason": "未参加培训"}),
    )
    .await;
    assert_eq!(s, 200, "a 未通过 certificate does not block deletion");
    assert_eq!(app.delete(&format!("{BASE}/{id}"), &t).await.status, 204);
    assert_eq!(app.get(&format!("{BASE}/{id}"), Some(&t)).await.status, 404);
    assert_eq!(
        app.get(&format!("{BASE}/review/{shop}"), Some(&org2))
            .await
            .status,
        404
    );
    assert_eq!(app.delete(&format!("{BASE}/{id}"), &t).await.status, 404);
    let again = create(
        &app,
        &t,
        person("T020", "赵一", &id_number(20, 1), &["CERT0101"]),
    )
    .await;

    let certified = id_of(&listed(&app, &t, "JE10001").await);
    let r = app
        .post(
            &format!("{BASE}/batch-delete"),
            Some(&t),
            json!({"ids": [id_of(&again), certified, "nobody"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["succeeded"].as_u64(), r.body["failed"].as_u64()),
        (Some(1), Some(2))
    );
    let codes: Vec<&str> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(codes, ["", "CERTIFIED", "NOT_FOUND"]);
    assert!(listed(&app, &t, "T020").await.is_null());
    app.stop().await;
}

#[tokio::test]
async fn orgs_certify_and_reject_only_their_own_certificates() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let org = app.login("org-admin").await;
    let org2 = app.login("org2-admin").await;
    let created = create(
        &app,
        &t,
        person("T030", "钱二", &id_number(30, 1), &["CERT0101", "CERT0201"]),
    )
    .await;
    let id = id_of(&created);
    let (web, shop) = (cert_of(&created, "CERT0101"), cert_of(&created, "CERT0201"));

    let list = app
        .get(
            &format!("{BASE}/review?certificateId=CERT0101&teacherNo=T030"),
            Some(&org),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["phone"], "185****0926");
    assert!(items[0]["idNumber"].as_str().unwrap().contains("*****"));
    assert_eq!(items[0]["schoolName"], "北方工业大学");
    let all = app
        .get(&format!("{BASE}/review?teacherNo=T030"), Some(&org))
        .await;
    let certs: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["certificateId"].as_str().unwrap())
        .collect();
    assert_eq!(certs, ["CERT0101"], "never another org's certificate");
    let other = app
        .get(&format!("{BASE}/review?teacherNo=T030"), Some(&org2))
        .await;
    let certs: Vec<&str> = other.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["certificateId"].as_str().unwrap())
        .collect();
    assert_eq!(certs, ["CERT0201"]);
    let pending = app
        .get(&format!("{BASE}/review?status=待认证"), Some(&org))
        .await;
    assert!(
        pending.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "待认证")
    );

    // Another org's application looks missing.
    assert_eq!(
        app.get(&format!("{BASE}/review/{web}"), Some(&org2))
            .await
            .status,
        404
    );
    assert_eq!(decide(&app, &org2, &web, "certify", json!({})).await.0, 404);
    assert_eq!(
        decide(&app, &org2, &web, "reject", json!({"reason": "x"}))
            .await
            .0,
        404
    );
    assert_eq!(
        app.get(&format!("{BASE}/review/{shop}"), Some(&org))
            .await
            .status,
        404
    );
    assert_eq!(
        decide(&app, &org, "10009-nonsense", "certify", json!({}))
            .await
            .0,
        404
    );

    let (s, b) = decide(&app, &org, &web, "reject", json!({"reason": "  "})).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("请填写驳回原因（不超过500个字符）"))
    );
    let (s, b) = decide(&app, &org, &web, "reject", json!({})).await;
    assert_eq!(s, 400, "{b}");
    let (s, b) = decide(
        &app,
        &org,
        &web,
        "reject",
        json!({"reason": "未参加考评员培训"}),
    )
    .await;
    assert_eq!((s, b["status"].as_str()), (200, Some("未通过")), "{b}");
    assert_eq!(b["reviewReason"], "未参加考评员培训");
    let (s, b) = decide(&app, &org, &web, "certify", json!({})).await;
    assert_eq!((s, b["code"].as_str()), (409, Some("STATE_CONFLICT")));
    assert_eq!(
        b["message"],
        "监考证书当前为“未通过”状态，只有待认证的监考证书可以认证"
    );

    // The school re-applies; the org certifies.
    let reapply = |cert: &str| {
        let (app, t, id) = (&app, &t, &id);
        let body = json!({"certificateId": cert});
        async move {
            app.post(&format!("{BASE}/{id}/reapply"), Some(t), body)
                .await
        }
    };
    let r = reapply("CERT0201").await;
    assert_eq!(r.status, 409, "only a 未通过 one: {}", r.body);
    let r = reapply("CERT0101").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cert = r.body["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["certificateId"] == "CERT0101")
        .unwrap()
        .clone();
    assert_eq!(cert["status"], "待认证");
    assert!(cert["reviewReason"].is_null());
    assert_eq!(reapply("CERT0103").await.status, 404);
    let (s, b) = decide(&app, &org, &web, "certify", json!({})).await;
    assert_eq!((s, b["status"].as_str()), (200, Some("已认证")), "{b}");
    let (s, _) = decide(&app, &org, &web, "reject", json!({"reason": "再驳回"})).await;
    assert_eq!(s, 409);

    let view = app.get(&format!("{BASE}/{id}"), Some(&t)).await;
    let cert = view.body["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["certificateId"] == "CERT0101")
        .unwrap()
        .clone();
    let actions: Vec<&str> = cert["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["申请", "驳回", "重新申请", "认证通过"]);
    let full = app.get(&format!("{BASE}/review/{web}"), Some(&org)).await;
    assert_eq!(
        full.body["idNumber"],
        id_number(30, 1),
        "the org's 查看 is in full"
    );
    app.stop().await;
}

#[tokio::test]
async fn batch_decisions_answer_for_each_id() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let org = app.login("org-admin").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let v = create(
            &app,
            &t,
            person(
                &format!("T04{i}"),
                "孙三",
                &id_number(40 + i, 1),
                &["CERT0101", "CERT0201"],
            ),
        )
        .await;
        ids.push((cert_of(&v, "CERT0101"), cert_of(&v, "CERT0201")));
    }
    let r = app
        .post(
            &format!("{BASE}/review/batch-certify"),
            Some(&org),
            json!({"ids": [ids[0].0, ids[1].0, "nobody", ids[0].1]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["succeeded"].as_u64(), r.body["failed"].as_u64()),
        (Some(2), Some(2))
    );
    let codes: Vec<&str> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(codes, ["", "", "NOT_FOUND", "NOT_FOUND"]);

    let r = app
        .post(
            &format!("{BASE}/review/batch-reject"),
            Some(&org),
            json!({"ids": [ids[2].0], "reason": ""}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (400, Some("BAD_REASON"))
    );
    let r = app
        .post(
            &format!("{BASE}/review/batch-reject"),
            Some(&org),
            json!({"ids": [ids[2].0, ids[0].0], "reason": "培训未结业"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["succeeded"].as_u64(), r.body["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(r.body["results"][1]["code"], "STATE_CONFLICT");
    let seen = app
        .get(&format!("{BASE}/review/{}", ids[2].0), Some(&org))
        .await;
    assert_eq!(
        (
            seen.body["status"].as_str(),
            seen.body["reviewReason"].as_str()
        ),
        (Some("未通过"), Some("培训未结业"))
    );
    let r = app
        .post(
            &format!("{BASE}/review/batch-certify"),
            Some(&org),
            json!({"ids": []}),
        )
        .await;
    assert_eq!(r.status, 400);
    app.stop().await;
}

#[tokio::test]
async fn of_two_decisions_at_once_one_wins() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let org = app.login("org-admin").await;
    let org_b = app.login("org-admin").await;
    for round in 0..3 {
        let v = create(
            &app,
            &t,
            person(
                &format!("T05{round}"),
                "周四",
                &id_number(50 + round, 1),
                &["CERT0101"],
            ),
        )
        .await;
        let c = cert_of(&v, "CERT0101");
        let (a, b) = tokio::join!(
            decide(&app, &org, &c, "certify", json!({})),
            decide(&app, &org_b, &c, "reject", json!({"reason": "同时驳回"})),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{} / {}", a.1, b.1);
        let winner = if a.0 == 200 { "已认证" } else { "未通过" };
        let seen = app.get(&format!("{BASE}/review/{c}"), Some(&org)).await;
        assert_eq!(seen.body["status"], winner);
        let loser = if a.0 == 409 { &a.1 } else { &b.1 };
        assert_eq!(loser["code"], "STATE_CONFLICT");
    }
    app.stop().await;
}

const HEAD: [&str; 6] = [
    "*教师编号",
    "*姓名",
    "*手机号",
    "*证件类型",
    "*证件号码",
    "*申请证书",
];

#[tokio::test]
async fn imports_save_good_rows_list_bad_ones_and_never_twice() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;

    // The template: headers, the sample, dropdowns and the instructions.
    let r = app
        .http
        .get(app.url("/api/imports/templates/invigilators"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let sheet = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert_eq!(sheet[0], HEAD.to_vec());
    assert_eq!(sheet[1][0], "JE19722");
    let xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("dataValidation"), "dropdowns");
    assert!(
        xml.contains("港澳居民来往内地通行证") && xml.contains(SHOP),
        "证件类型 and the school's certificates"
    );
    assert!(!xml.contains("老年照护"), "only the school's pilots");
    assert!(zip_entry(&bytes, "xl/workbook.xml").contains("填写说明"));

    let before = total(&app, &t).await;
    let (a, b, c) = (id_number(100, 1), id_number(101, 1), id_number(104, 1));
    let rows = vec![
        HEAD.to_vec(),
        vec!["T100", "王一", "18512340926", "身份证", &a, WEB],
        vec!["T100", "王一", "18512340926", "身份证", &a, SHOP],
        vec!["T101", "王二", "13800138000", "", &b, "0101"],
        vec![
            "T102",
            "王三",
            "13800138000",
            "身份证",
            "110105194912310021",
            WEB,
        ],
        vec!["T103", "王四", "12345", "身份证", &c, WEB],
        vec![
            "T104",
            "王五",
            "13800138000",
            "身份证",
            &c,
            "老年照护职业技能等级证书",
        ],
        vec!["JE10001", "王六", "13800138000", "身份证", &c, WEB],
        vec!["T100", "王一", "13900000000", "身份证", &a, WEB],
        vec!["T100", "王一", "18512340926", "身份证", &a, WEB],
        vec!["T105", "王七", "13800138000", "身份证", &a, WEB],
    ];
    let file = workbook(&rows);
    let id = app
        .upload_import(&t, "invigilators", "监考人员.xlsx", file.clone(), false)
        .await;
    let done = app.wait_import(&t, &id).await;
    assert_eq!(done["status"], "已完成", "{done}");
    assert_eq!(
        (
            done["total"].as_u64(),
            done["success"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some(10), Some(3), Some(7)),
        "{done}"
    );
    let reasons = app.failure_reasons(&done).await;
    assert_eq!(
        reasons,
        [
            "第5行：身份证号码校验位错误",
            "第6行：手机号格式不正确，请输入11位手机号",
            "第7行：证书“老年照护职业技能等级证书”不是本校已参与试点的证书",
            "第8行：教师编号“JE10001”已存在，同一学校内教师编号不能重复",
            "第9行：与第2行教师编号相同，但姓名、手机号或证件信息不一致",
            "第10行：与第2行重复",
            "第11行：与第2行证件号码重复",
        ]
    );
    let t100 = listed(&app, &t, "T100").await;
    let codes: Vec<&str> = t100["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["certificateCode"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["0101", "0201"]);
    assert!(
        t100["certificates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "待认证")
    );
    assert_eq!(total(&app, &t).await, before + 2);

    // The same import delivered again changes nothing.
    app.redeliver_import("10009", &id).await;
    let again = app.wait_import(&t, &id).await;
    assert_eq!(again["success"].as_u64(), Some(3), "{again}");
    assert_eq!(total(&app, &t).await, before + 2);
    assert_eq!(
        listed(&app, &t, "T100").await["certificates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The same file uploaded again saves nothing new.
    let second = app
        .upload_import(&t, "invigilators", "监考人员.xlsx", file, false)
        .await;
    let done = app.wait_import(&t, &second).await;
    assert_eq!(
        (done["success"].as_u64(), done["failed"].as_u64()),
        (Some(0), Some(10)),
        "{done}"
    );
    let reasons = app.failure_reasons(&done).await;
    assert_eq!(
        reasons[0],
        "第2行：教师编号“T100”已存在，同一学校内教师编号不能重复"
    );
    assert_eq!(reasons[9], "第11行：证件号码相同的监考人员已存在");
    assert_eq!(total(&app, &t).await, before + 2);

    // Only schools import invigilators.
    let org = app.login("org-admin").await;
    let r = app
        .post(
            "/api/imports",
            Some(&org),
            json!({"type": "invigilators", "fileName": "a.xlsx"}),
        )
        .await;
    assert_eq!(r.status, 403);
    app.stop().await;
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    text
}

const EXPORT_HEAD: [&str; 9] = [
    "教师编号",
    "教师姓名",
    "手机号码",
    "所属院校",
    "所在区域",
    "证书编号",
    "申请通过的证书",
    "颁证机构",
    "认证状态",
];

async fn export(app: &TestApp, token: &str, body: Value) -> Vec<Vec<String>> {
    let r = app.post(&format!("{BASE}/export"), Some(token), body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sheet = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    sheet
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| match c {
                    XCell::Text(s) => s,
                    other => panic!("every cell is text: {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn exports_have_the_manuals_columns_one_row_per_certificate() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let rows = export(&app, &t, json!({})).await;
    assert_eq!(rows[0], EXPORT_HEAD.to_vec());
    assert_eq!(
        rows.len(),
        1 + 9,
        "the demo school's seven invigilators, nine certificates"
    );
    let je10001: Vec<Vec<String>> = rows.iter().filter(|r| r[0] == "JE10001").cloned().collect();
    let expect = |cells: [&str; 9]| cells.map(str::to_owned).to_vec();
    assert_eq!(
        je10001,
        [
            expect([
                "JE10001",
                "李伟",
                "139****0000",
                "北方工业大学",
                "北京市",
                "0101",
                WEB,
                "北京示例培训评价组织有限公司",
                "已认证"
            ]),
            expect([
                "JE10001",
                "李伟",
                "139****0000",
                "北方工业大学",
                "北京市",
                "0201",
                SHOP,
                "中商示范电子商务教育科技有限公司",
                "待认证"
            ]),
        ]
    );
    assert!(
        rows[1..].iter().all(|r| r[2].contains("****")),
        "phones masked"
    );

    let chosen = id_of(&listed(&app, &t, "JE10004").await);
    let rows = export(&app, &t, json!({"ids": [chosen], "status": "待认证"})).await;
    assert_eq!(rows.len(), 1 + 2, "ticked rows ignore the filter");
    assert!(rows[1..].iter().all(|r| r[0] == "JE10004"));
    let rows = export(&app, &t, json!({"status": "已认证"})).await;
    assert_eq!(rows.len(), 1 + 6);
    assert!(rows[1..].iter().all(|r| r[8] == "已认证"));
    let rows = export(&app, &t, json!({"certificateId": "CERT0201"})).await;
    let statuses: Vec<&str> = rows[1..].iter().map(|r| r[8].as_str()).collect();
    assert_eq!(statuses, ["待认证", "未通过"]);
    let other = app.login("school2-admin").await;
    let rows = export(&app, &other, json!({})).await;
    assert!(rows[1..].iter().all(|r| r[3] == "北京示范职业技术学院"));
    assert_eq!(rows.len(), 1 + 7);
    app.stop().await;
}

#[tokio::test]
async fn every_route_keeps_tenants_apart() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let other = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let province = app.login("province-admin").await;
    let created = create(
        &app,
        &t,
        person("T060", "吴五", &id_number(60, 1), &["CERT0101"]),
    )
    .await;
    let id = id_of(&created);
    let web = cert_of(&created, "CERT0101");
    let body = person("T060", "吴五", &id_number(60, 1), &["CERT0101"]);

    // Another school: the record looks missing.
    assert_eq!(
        app.get(&format!("{BASE}/{id}"), Some(&other)).await.status,
        404
    );
    assert_eq!(
        app.put_json(&format!("{BASE}/{id}"), &other, body.clone())
            .await
            .status,
        404
    );
    assert_eq!(
        app.delete(&format!("{BASE}/{id}"), &other).await.status,
        404
    );
    let r = app
        .post(
            &format!("{BASE}/{id}/reapply"),
            Some(&other),
            json!({"certificateId": "CERT0101"}),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .post(
            &format!("{BASE}/batch-delete"),
            Some(&other),
            json!({"ids": [id]}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["results"][0]["code"].as_str()),
        (200, Some("NOT_FOUND"))
    );
    assert!(listed(&app, &other, "T060").await.is_null());
    assert_eq!(
        app.get(&format!("{BASE}/{id}"), Some(&t)).await.status,
        200,
        "still there"
    );

    // An org or a province uses no school route.
    for token in [&org, &province] {
        let statuses = [
            app.get(BASE, Some(token)).await.status,
            app.post(BASE, Some(token), body.clone()).await.status,
            app.get(&format!("{BASE}/certificates"), Some(token))
                .await
                .status,
            app.post(&format!("{BASE}/export"), Some(token), json!({}))
                .await
                .status,
            app.post(
                &format!("{BASE}/batch-delete"),
                Some(token),
                json!({"ids": [id]}),
            )
            .await
            .status,
            app.get(&format!("{BASE}/{id}"), Some(token)).await.status,
            app.put_json(&format!("{BASE}/{id}"), token, body.clone())
                .await
                .status,
            app.delete(&format!("{BASE}/{id}"), token).await.status,
            app.post(
                &format!("{BASE}/{id}/reapply"),
                Some(token),
                json!({"certificateId": "CERT0101"}),
            )
            .await
            .status,
        ];
        assert_eq!(statuses, [403; 9]);
    }
    // A school or a province uses no org route.
    for token in [&t, &province] {
        let statuses = [
            app.get(&format!("{BASE}/review"), Some(token)).await.status,
            app.get(&format!("{BASE}/review/{web}"), Some(token))
                .await
                .status,
            decide(&app, token, &web, "certify", json!({})).await.0,
            decide(&app, token, &web, "reject", json!({"reason": "x"}))
                .await
                .0,
            app.post(
                &format!("{BASE}/review/batch-certify"),
                Some(token),
                json!({"ids": [web]}),
            )
            .await
            .status,
            app.post(
                &format!("{BASE}/review/batch-reject"),
                Some(token),
                json!({"ids": [web], "reason": "x"}),
            )
            .await
            .status,
        ];
        assert_eq!(statuses, [403; 6]);
    }
    // No session at all.
    assert_eq!(app.get(BASE, None).await.status, 401);
    let seen = app.get(&format!("{BASE}/review/{web}"), Some(&org)).await;
    assert_eq!(
        seen.body["status"], "待认证",
        "nothing decided by the probes"
    );
    app.stop().await;
}

#[tokio::test]
async fn scheduling_gets_the_certified_invigilators_by_teacher_number() {
    use vslc_accounts::{Tenant, TenantKind};
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let org = app.login("org-admin").await;
    let state = app.running.as_ref().unwrap().state.clone();
    let school = Tenant::new(TenantKind::School, "10009");
    let nos = |v: Vec<vslc_invigilators::Invigilator>| -> Vec<String> {
        v.into_iter().map(|p| p.teacher_no).collect()
    };
    let demo = vslc_invigilators::certified(&state, &school, "CERT0101")
        .await
        .unwrap();
    assert!(
        demo.iter()
            .all(|p| p.school_name == "北方工业大学" && p.region == "北京市")
    );
    assert_eq!(
        nos(demo),
        ["JE10001", "JE10002", "JE10003", "JE10004", "JE10005"]
    );
    let created = create(
        &app,
        &t,
        person("A001", "郑六", &id_number(70, 1), &["CERT0101"]),
    )
    .await;
    assert_eq!(
        vslc_invigilators::certified(&state, &school, "CERT0101")
            .await
            .unwrap()
            .len(),
        5,
        "待认证 is not enough"
    );
    let (s, _) = decide(
        &app,
        &org,
        &cert_of(&created, "CERT0101"),
        "certify",
        json!({}),
    )
    .await;
    assert_eq!(s, 200);
    let now = nos(vslc_invigilators::certified(&state, &school, "CERT0101")
        .await
        .unwrap());
    assert_eq!(now[0], "A001");
    assert_eq!(now.len(), 6);
    assert_eq!(
        nos(vslc_invigilators::certified(&state, &school, "CERT0201")
            .await
            .unwrap()),
        Vec::<String>::new()
    );
    let second = Tenant::new(TenantKind::School, "14361");
    assert_eq!(
        vslc_invigilators::certified(&state, &second, "CERT0101")
            .await
            .unwrap()
            .len(),
        5
    );
    app.stop().await;
}
