//! 考场签到 over HTTP: the school opens a 监考员 login for a certified
//! invigilator; the login sees only its own rooms and nothing else of the
//! school; it signs candidates in by the 准考证's QR token or a typed
//! 准考证号 inside the door's hours — a tampered, expired, foreign or
//! other-room code is refused and says why — and when the exam ends the
//! period closer marks the rest 缺考, which the printed 签到表 shows.

use serde_json::{Value, json};
use vslc_api_tests::TestApp;
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_pdf::poppler;
use vslc_scheduling::token::{self, TicketToken};

use crate::scheduling::{SUBJECT1, arranged, at, seat_map};

/// A token for a registration, signed with the app's own key.
async fn ticket_token(app: &TestApp, school: &str, reg: &str, expires_at: i64) -> String {
    let state = app.running.as_ref().unwrap().state.clone();
    let key = token::signing_key(&state).await.unwrap();
    token::sign(
        &key,
        &TicketToken {
            school_id: school.into(),
            registration_id: reg.into(),
            expires_at,
        },
    )
}

async fn sign_in(app: &TestApp, token: &str, slot: &str, code: &str) -> vslc_api_tests::Resp {
    app.post(
        &format!("/api/scheduling/invigilation/rooms/{slot}/sign-in"),
        Some(token),
        json!({"code": code}),
    )
    .await
}

async fn login_as(app: &TestApp, account: &str, password: &str) -> String {
    let r = app.login_from([127, 0, 0, 1], account, password).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

/// The host school's 排考明细 rows (seat, room, ticket, registration).
async fn details(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/scheduling/details?planId={DEMO_PLAN_ID}&size=100"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_invigilator_signs_candidates_in_at_their_own_door_and_the_rest_are_absent() {
    let (app, clock, mut f) = arranged().await;
    let room0 = format!("{}.{SUBJECT1}", f.rooms[0]);
    let room1 = format!("{}.{SUBJECT1}", f.rooms[1]);
    let map = seat_map(&app, &f.school, &f.rooms[0], SUBJECT1).await;
    let inv = &map["room"]["invigilators"][0];
    let inv_id = inv["invigilatorId"].as_str().unwrap();

    // 开通监考员账号: the school's administrator, once per invigilator.
    let path = format!("/api/invigilators/{inv_id}/login");
    let r = app
        .post(&path, Some(&f.school2), json!({"account": "jk-x"}))
        .await;
    assert_eq!(r.status, 404, "another school's invigilator: {}", r.body);
    let r = app
        .post(&path, Some(&f.school), json!({"account": "jk-10009-a"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["user"]["role"], "监考员");
    let password = r.body["password"].as_str().unwrap().to_owned();
    let user_id = r.body["user"]["id"].as_str().unwrap().to_owned();
    let r = app
        .post(&path, Some(&f.school), json!({"account": "jk-10009-b"}))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "LOGIN_EXISTS");
    let r = app
        .get(&format!("/api/invigilators/{inv_id}"), Some(&f.school))
        .await;
    assert_eq!(r.body["loginAccount"], "jk-10009-a");

    // The login sees its rooms and nothing else of the school.
    let me = login_as(&app, "jk-10009-a", &password).await;
    for path in [
        "/api/scheduling/rooms",
        "/api/scheduling/details",
        "/api/candidates",
        "/api/registrations",
        "/api/invigilators",
        "/api/users",
    ] {
        let r = app.get(path, Some(&me)).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert_eq!(r.body["message"], "监考员账号只能使用考场签到", "{path}");
    }
    let r = print_door(&app, &me, &room0).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .get("/api/scheduling/invigilation/rooms", Some(&me))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mine = r.body.as_array().unwrap();
    assert_eq!(mine.len(), 1, "{}", r.body);
    assert_eq!(mine[0]["id"], room0.as_str());
    assert_eq!(mine[0]["phase"], "未开始");
    assert_eq!(mine[0]["seated"], 5);
    let r = app
        .get(
            &format!("/api/scheduling/invigilation/rooms/{room1}"),
            Some(&me),
        )
        .await;
    assert_eq!(r.status, 404, "not its room: {}", r.body);
    // The school's own accounts are no 监考员.
    let r = app
        .get("/api/scheduling/invigilation/rooms", Some(&f.school))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);

    // The door: names, masked ID numbers and photos.
    let r = app
        .get(
            &format!("/api/scheduling/invigilation/rooms/{room0}"),
            Some(&me),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let people = r.body["candidates"].as_array().unwrap().clone();
    assert_eq!(people.len(), 5);
    assert!(
        people
            .iter()
            .all(|p| p["idNumber"].as_str().unwrap().contains('*'))
    );
    assert!(people.iter().all(|p| p["photoUrl"].is_string()));

    let rows = details(&app, &f.school).await;
    let in_room = |room: &str| -> Vec<Value> {
        rows.iter()
            .filter(|r| r["roomId"] == room && r["subjectId"] == SUBJECT1)
            .cloned()
            .collect()
    };
    let here = in_room(&f.rooms[0]);
    let there = in_room(&f.rooms[1]);
    assert!(
        !here.is_empty() && !there.is_empty(),
        "the host's candidates sit in both rooms"
    );
    let reg = |r: &Value| r["registrationId"].as_str().unwrap().to_owned();
    let far = 4_000_000_000;
    let good = ticket_token(&app, "10009", &reg(&here[0]), far).await;

    // Before the door opens (an hour before 09:00 on 03-31).
    let r = sign_in(&app, &me, &room0, &good).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "NOT_OPEN");

    at(&clock, "2026-03-31T08:10:00+08:00");
    let me = login_as(&app, "jk-10009-a", &password).await;
    let r = sign_in(&app, &me, &room0, &good).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["already"], false);
    assert_eq!(r.body["candidate"]["ticketNo"], here[0]["ticketNo"]);
    assert_eq!(r.body["candidate"]["attendance"], "已签到");
    let r = sign_in(&app, &me, &room0, &good).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["already"], true, "a second scan changes nothing");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("已于08:10签到"),
        "{}",
        r.body
    );

    // A typed 准考证号 of someone in the room (spaces allowed).
    let door = app
        .get(
            &format!("/api/scheduling/invigilation/rooms/{room0}"),
            Some(&me),
        )
        .await;
    let other_ticket = door.body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["attendance"].is_null())
        .unwrap()["ticketNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let spaced = format!("{} {}", &other_ticket[..10], &other_ticket[10..]);
    let r = sign_in(&app, &me, &room0, &spaced).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["candidate"]["ticketNo"], other_ticket.as_str());

    // Codes that do not belong here, each saying why.
    let elsewhere = ticket_token(&app, "10009", &reg(&there[0]), far).await;
    let r = sign_in(&app, &me, &room0, &elsewhere).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "OTHER_ROOM");
    assert!(
        r.body["message"].as_str().unwrap().contains("第2考场"),
        "{}",
        r.body
    );
    let r = sign_in(&app, &me, &room0, there[0]["ticketNo"].as_str().unwrap()).await;
    assert_eq!(r.status, 409, "a typed number of another room: {}", r.body);
    let mut tampered = good.clone().into_bytes();
    let i = token::PREFIX.len() + 3;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let r = sign_in(&app, &me, &room0, &String::from_utf8(tampered).unwrap()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body["message"].as_str().unwrap().contains("校验失败"),
        "{}",
        r.body
    );
    let stale = ticket_token(&app, "10009", &reg(&here[1 % here.len()]), 1_000).await;
    let r = sign_in(&app, &me, &room0, &stale).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "EXPIRED");
    // A registration with no seat at this time (another plan's, say).
    let foreign = ticket_token(&app, "10009", "01OTHERPLANREGISTRATION000", far).await;
    let r = sign_in(&app, &me, &room0, &foreign).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "OTHER_TIME", "{}", r.body);
    for junk in ["", "https://example.com/x", "VSLC1.nonsense", "<script>"] {
        let r = sign_in(&app, &me, &room0, junk).await;
        assert_eq!(r.status, 400, "{junk}: {}", r.body);
    }
    let r = sign_in(&app, &me, &room1, &elsewhere).await;
    assert_eq!(r.status, 404, "not its room: {}", r.body);

    // The exam ends: no more signing in; the closer marks the rest of the
    // room 缺考, once. 第2考场 signed no one in at its door: its paper sheet
    // is the record, and nothing is marked there.
    at(&clock, "2026-03-31T10:31:00+08:00");
    let me = login_as(&app, "jk-10009-a", &password).await;
    let r = sign_in(&app, &me, &room0, &good).await;
    assert_eq!(r.body["code"], "ENDED", "{}", r.body);
    let steps = app.run_period_closer().await;
    assert!(steps.contains(&"absences: 3".to_owned()), "{steps:?}");
    let steps = app.run_period_closer().await;
    assert!(steps.contains(&"absences: 0".to_owned()), "{steps:?}");
    let r = app
        .get(
            &format!("/api/scheduling/invigilation/rooms/{room0}"),
            Some(&me),
        )
        .await;
    let marks: Vec<&str> = r.body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["attendance"].as_str().unwrap())
        .collect();
    assert_eq!(
        marks.iter().filter(|m| **m == "已签到").count(),
        2,
        "{marks:?}"
    );
    assert_eq!(
        marks.iter().filter(|m| **m == "缺考").count(),
        3,
        "{marks:?}"
    );

    f.school = app.login("school-admin").await;
    let rows = details(&app, &f.school).await;
    assert!(
        rows.iter()
            .filter(|r| r["roomId"] == f.rooms[1].as_str())
            .all(|r| r["attendance"].is_null()),
        "{rows:?}"
    );

    // The paper sheet agrees with the door.
    let r = app
        .post(
            &format!("/api/scheduling/rooms/{room0}/sign-in-sheet"),
            Some(&f.school),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let text = poppler::text(&app.download(r.body["url"].as_str().unwrap()).await);
    assert_eq!(text.matches("已签到 08:10").count(), 2, "{text}");
    assert_eq!(
        text.matches("缺考").count() - 1,
        3,
        "three marks and the foot's label:\n{text}"
    );
    assert!(
        text.contains("实到考生：2人") && text.contains("缺考考生：3人"),
        "{text}"
    );
    // The login is the invigilator's: not edited into another role; once
    // deleted, it may be opened again.
    let users = format!("/api/users/{user_id}");
    let r = app
        .post(&format!("{users}/disable"), Some(&f.school), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .put_json(
            &users,
            &f.school,
            json!({"name": "钱进", "phone": "13900000013", "role": "统计查看"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "INVIGILATOR_LOGIN");
    assert_eq!(app.delete(&users, &f.school).await.status, 204);
    let r = app
        .post(&path, Some(&f.school), json!({"account": "jk-10009-c"}))
        .await;
    assert_eq!(r.status, 200, "opened again: {}", r.body);
    app.stop().await;
}

async fn print_door(app: &TestApp, token: &str, slot: &str) -> vslc_api_tests::Resp {
    app.post(
        &format!("/api/scheduling/rooms/{slot}/door-sign"),
        Some(token),
        json!({}),
    )
    .await
}
