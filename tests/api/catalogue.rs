use serde_json::json;
use vslc_api_tests::spawn_app;
use vslc_ledger::merkle;

fn ids(body: &serde_json::Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_school_sees_its_pilot_certificates_by_default_and_all_on_request() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let pilot = app.get("/api/certificates?pageSize=50", Some(&token)).await;
    assert_eq!(
        ids(&pilot.body),
        vec!["CERT0101", "CERT0103", "CERT0201", "CERT0203"]
    );
    assert_eq!(
        pilot.body["items"][0]["pilotLevels"],
        json!(["初级", "中级"])
    );
    let all = app
        .get("/api/certificates?scope=all&pageSize=50", Some(&token))
        .await;
    assert_eq!(all.body["total"], 12);
    let filtered = app
        .get(
            "/api/certificates?scope=all&name=照护&org=康养&level=高级&category=医药卫生",
            Some(&token),
        )
        .await;
    assert_eq!(ids(&filtered.body), vec!["CERT0301", "CERT0302"]);
    let bad = app
        .get("/api/certificates?scope=everything", Some(&token))
        .await;
    assert_eq!(bad.status, 400);
    app.stop().await;
}

#[tokio::test]
async fn certificate_detail_shows_majors_and_a_verifiable_chain_record() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let d = app.get("/api/certificates/CERT0101", Some(&token)).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body["orgName"], "北京示例培训评价组织有限公司");
    let major = &d.body["majors"][2];
    assert_eq!(
        (
            major["code"].as_str(),
            major["name"].as_str(),
            major["version"].as_str(),
            major["level"].as_str()
        ),
        (
            Some("510201"),
            Some("计算机应用技术"),
            Some("2021"),
            Some("高职专科")
        )
    );
    let chain = app
        .get("/api/certificates/CERT0101/chain", Some(&token))
        .await;
    assert_eq!(chain.status, 200, "{}", chain.body);
    assert_eq!(chain.body["blockHeight"], 0);
    let tx = chain.body["txHash"].as_str().unwrap();
    assert_eq!(tx.len(), 64);

    // Anyone can check it, without logging in.
    let proof = app.get(&format!("/api/verify/tx/{tx}"), None).await;
    assert_eq!(proof.status, 200);
    assert_eq!(proof.body["payload"]["id"], "CERT0101");
    assert_eq!(proof.body["blockHash"], chain.body["blockHash"]);
    let leaf: merkle::Hash = hex::decode(tx).unwrap().try_into().unwrap();
    let steps: Vec<merkle::ProofStep> =
        serde_json::from_value(proof.body["proof"].clone()).unwrap();
    assert_eq!(
        hex::encode(merkle::fold(&leaf, &steps).unwrap()),
        proof.body["block"]["merkleRoot"].as_str().unwrap()
    );
    assert_eq!(
        app.get(&format!("/api/verify/tx/{}", "a".repeat(64)), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/api/certificates/NOPE", Some(&token)).await.status,
        404
    );
    assert_eq!(app.get("/api/certificates", None).await.status, 401);
    app.stop().await;
}

#[tokio::test]
async fn a_school_sees_only_the_orgs_of_its_pilot_certificates() {
    let app = spawn_app().await;
    let one = app.login("school-admin").await;
    let two = app.login("school2-admin").await;
    assert_eq!(
        ids(&app.get("/api/orgs", Some(&one)).await.body),
        vec!["ORG001", "ORG002"]
    );
    assert_eq!(
        ids(&app.get("/api/orgs", Some(&two)).await.body),
        vec!["ORG001", "ORG003"]
    );
    let d = app.get("/api/orgs/ORG001", Some(&one)).await;
    assert_eq!(
        ids(&json!({"items": d.body["certificates"]})),
        vec!["CERT0101", "CERT0103"]
    );
    assert_eq!(
        app.get("/api/orgs/ORG003", Some(&one)).await.status,
        404,
        "not an org of its pilots"
    );
    let filtered = app.get("/api/orgs?nature=民办非企", Some(&two)).await;
    assert_eq!(ids(&filtered.body), vec!["ORG003"]);
    let province = app.login("province-admin").await;
    assert_eq!(app.get("/api/orgs", Some(&province)).await.body["total"], 3);
    app.stop().await;
}

#[tokio::test]
async fn an_org_registers_and_edits_its_own_certificates_on_the_ledger() {
    let app = spawn_app().await;
    let org = app.login("org-admin").await;
    let school = app.login("school-admin").await;
    let input = json!({
        "code": "0199", "name": "区块链应用开发职业技能等级证书", "levels": ["中级", "初级"], "category": "信息技术", "batch": "第四批",
        "majors": [{"code": "510212", "name": "区块链技术应用", "version": "2021", "level": "高职专科"}]
    });
    assert_eq!(
        app.post("/api/certificates", Some(&school), input.clone())
            .await
            .status,
        403
    );
    let r = app
        .post("/api/certificates", Some(&org), input.clone())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["levels"], json!(["初级", "中级"]));
    let first = r.body["chain"]["blockHeight"].as_u64().unwrap();
    assert_eq!(
        app.post("/api/certificates", Some(&org), input.clone())
            .await
            .status,
        409
    );

    let mut edited = input.clone();
    edited["name"] = json!("区块链应用开发职业技能等级证书（2026版）");
    let put = app
        .send(
            app.http
                .put(app.url(&format!(
                    "/api/certificates/{}",
                    r.body["id"].as_str().unwrap()
                )))
                .bearer_auth(&org)
                .json(&edited),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert!(put.body["chain"]["blockHeight"].as_u64().unwrap() > first);
    let others = app
        .send(
            app.http
                .put(app.url("/api/certificates/CERT0201"))
                .bearer_auth(&org)
                .json(&edited),
        )
        .await;
    assert_eq!(
        others.status, 404,
        "another org's certificate looks missing"
    );

    let state = app.running.as_ref().unwrap().state.clone();
    assert!(
        vslc_ledger::verify_chain(state.table.as_ref())
            .await
            .unwrap()
            >= 3
    );
    app.stop().await;
}

#[tokio::test]
async fn tampering_with_the_ledger_is_reported_by_the_public_chain_check() {
    use vslc_ports::table::Key;
    let app = spawn_app().await;
    let ok = app.get("/api/verify/chain", None).await;
    assert_eq!(
        (ok.body["ok"].as_bool(), ok.body["blocks"].as_u64()),
        (Some(true), Some(1))
    );
    let token = app.login("school-admin").await;
    let chain = app
        .get("/api/certificates/CERT0101/chain", Some(&token))
        .await;
    let tx = chain.body["txHash"].as_str().unwrap();
    let state = app.running.as_ref().unwrap().state.clone();
    let key = Key::new(format!("LEDGER#TX#{tx}"), "TX");
    let mut forged = state.table.get(&key).await.unwrap().unwrap();
    forged["body"]["payload"]["orgName"] = json!("冒名机构");
    state.table.put(forged, None).await.unwrap();
    let bad = app.get("/api/verify/chain", None).await;
    assert_eq!(bad.body["ok"], false);
    assert!(
        bad.body["problem"].as_str().unwrap().contains(tx),
        "{}",
        bad.body
    );
    app.stop().await;
}

#[tokio::test]
async fn a_certificate_lead_can_only_lead_pilot_certificates() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let phone = "13100131001";
    app.post(
        "/api/users/verification-code",
        Some(&admin),
        json!({"phone": phone}),
    )
    .await;
    let outbox = app.get("/api/dev/sms", None).await;
    let text = outbox.body[0]["text"].as_str().unwrap().to_owned();
    let code: String = text[text.find("验证码为").unwrap() + "验证码为".len()..]
        .chars()
        .take(6)
        .collect();
    let body = |certs: serde_json::Value| json!({"account": "lead-a", "name": "负责人", "phone": phone, "code": code, "role": "证书负责人", "certificates": certs});
    let r = app.post("/api/users", Some(&admin), body(json!([]))).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("证书负责人须选择其负责的证书"))
    );
    let r = app
        .post("/api/users", Some(&admin), body(json!(["CERT0301"])))
        .await;
    assert_eq!(r.status, 400, "not one of this school's pilots");
    let r = app
        .post("/api/users", Some(&admin), body(json!(["CERT0101"])))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["user"]["certLead"], true);
    app.stop().await;
}
