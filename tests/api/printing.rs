//! 打印 over HTTP: 考场门贴, 考场桌贴, 考场签到表 and 准考证 of an arranged
//! room as PDFs — what `pdftotext` reads back matches the arrangement, ID
//! numbers are masked, fonts are embedded subsets, one page per ticket —
//! and who may print which.

use serde_json::{Value, json};
use vslc_api_tests::TestApp;
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_pdf::poppler;

use crate::scheduling::{SUBJECT1, arranged, seat_map};

async fn print(app: &TestApp, token: &str, slot: &str, doc: &str) -> vslc_api_tests::Resp {
    app.post(
        &format!("/api/scheduling/rooms/{slot}/{doc}"),
        Some(token),
        json!({}),
    )
    .await
}

/// The PDF an answer links to, checked to be a PDF of `pages` pages with
/// embedded, subset fonts that map back to Unicode.
async fn pdf(app: &TestApp, answer: &Value, pages: usize) -> Vec<u8> {
    let url = answer["url"].as_str().expect("a download link");
    assert!(
        answer["fileName"].as_str().unwrap().ends_with(".pdf"),
        "{answer}"
    );
    assert_eq!(answer["pages"], pages, "{answer}");
    let bytes = app.download(url).await;
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert_eq!(poppler::page_count(&bytes), pages);
    let fonts = poppler::fonts(&bytes);
    assert!(
        !fonts.is_empty() && fonts.iter().all(|(_, emb, sub, uni)| *emb && *sub && *uni),
        "{fonts:?}"
    );
    bytes
}

/// Page 1 kept as `target/print-check/api-<name>.png`, to look at.
fn keep(name: &str, bytes: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/print-check");
    std::fs::create_dir_all(&dir).unwrap();
    let png = poppler::render_png(bytes, 1, 60, &dir.join(format!("api-{name}")));
    assert!(std::fs::metadata(png).unwrap().len() > 1000);
}

/// (seat, 准考证号, name, school) of a seat map's taken seats, as the host
/// sees them.
fn seated(map: &Value) -> Vec<(u64, String, String, String)> {
    map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["ticketNo"].is_string())
        .map(|s| {
            (
                s["seat"].as_u64().unwrap(),
                s["ticketNo"].as_str().unwrap().to_owned(),
                s["candidateName"].as_str().unwrap_or_default().to_owned(),
                s["schoolName"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn room_documents_carry_the_arrangement_and_mask_id_numbers() {
    let (app, _clock, f) = arranged().await;
    let slot = format!("{}.{SUBJECT1}", f.rooms[0]);
    let map = seat_map(&app, &f.school, &f.rooms[0], SUBJECT1).await;
    let seats = seated(&map);
    assert_eq!(seats.len(), 5, "{map}");
    let invigilators: Vec<String> = map["room"]["invigilators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}（{}）",
                i["name"].as_str().unwrap(),
                i["teacherNo"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(invigilators.len(), 2);

    // 考场门贴: the room, its subject and time, its seats.
    let r = print(&app, &f.school, &slot, "door-sign").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let door = pdf(&app, &r.body, 1).await;
    keep("door", &door);
    assert!(
        poppler::info(&door, "Page size").starts_with("841.89 x 595.276"),
        "A4 landscape"
    );
    let text = poppler::text(&door);
    for want in [
        "第1考场",
        "理论知识",
        "2026-03-31 09:00-10:30",
        "座位号：1–5号，共5人",
        "北方工业大学",
    ] {
        assert!(text.contains(want), "门贴 lacks {want}:\n{text}");
    }
    for i in &invigilators {
        assert!(text.contains(i.as_str()), "门贴 lacks {i}:\n{text}");
    }

    // 考场签到表: the manual's columns, every candidate in seat order.
    let r = print(&app, &f.school, &slot, "sign-in-sheet").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sheet = pdf(&app, &r.body, 1).await;
    keep("sign-in", &sheet);
    let text = poppler::text(&sheet);
    for want in [
        "考场签到表",
        "准考证号",
        "所属院校",
        "座位号",
        "考试时间",
        "考生姓名",
        "考生签名",
    ] {
        assert!(text.contains(want), "签到表 lacks {want}:\n{text}");
    }
    let mut last = 0;
    for (seat, ticket, name, school) in &seats {
        let line = text
            .lines()
            .find(|l| l.contains(ticket.as_str()))
            .unwrap_or_else(|| panic!("签到表 lacks {ticket}:\n{text}"));
        assert!(
            line.contains(name.as_str()) && line.contains(school.as_str()),
            "{line}"
        );
        assert!(
            line.split_whitespace().any(|w| w == seat.to_string()),
            "{line}"
        );
        let at = text.find(ticket.as_str()).unwrap();
        assert!(at > last, "seat order");
        last = at;
    }
    for i in &invigilators {
        assert!(text.contains(i.as_str()), "签到表 lacks {i}");
    }

    // 考场桌贴: one label per candidate, with the photo.
    let r = print(&app, &f.school, &slot, "desk-labels").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let labels = pdf(&app, &r.body, 1).await;
    keep("desk", &labels);
    let text = poppler::text(&labels);
    for (_, ticket, name, _) in &seats {
        assert!(
            text.contains(ticket.as_str()) && text.contains(name.as_str()),
            "{text}"
        );
    }
    assert!(
        !text.contains("无照片"),
        "every candidate has a photo:\n{text}"
    );

    // 准考证: a page per candidate, the ID number masked.
    let r = print(&app, &f.school, &slot, "tickets").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let tickets = pdf(&app, &r.body, 5).await;
    keep("ticket", &tickets);
    let pages = poppler::pages_text(&tickets);
    let mut sorted = seats.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    for (page, (seat, ticket, name, school)) in pages.iter().zip(&sorted) {
        for want in [
            ticket.as_str(),
            name.as_str(),
            school.as_str(),
            "理论知识",
            "第1考场",
            "考试须知",
        ] {
            assert!(page.contains(want), "准考证 lacks {want}:\n{page}");
        }
        assert!(page.contains("*"), "the ID number is masked:\n{page}");
        assert!(!page.contains("无照片"), "{page}");
        let row = page.lines().find(|l| l.contains("第1考场")).unwrap();
        assert!(row.trim_end().ends_with(&seat.to_string()), "{row}");
    }
    // No full ID number anywhere: the fixture's are 18 characters.
    let ids: Vec<String> = (0..6)
        .map(|i| vslc_api_tests::id_number(100 + i, i))
        .chain((0..4).map(|i| vslc_api_tests::id_number(200 + i, i)))
        .collect();
    let all = poppler::text(&tickets);
    for id in &ids {
        assert!(!all.contains(id.as_str()), "{id} in clear");
    }
    app.stop().await;
}

#[tokio::test]
async fn who_may_print_what() {
    let (app, _clock, f) = arranged().await;
    // The borrowing school's candidates sit in both rooms (interleaved).
    let mut own = 0;
    for room in &f.rooms {
        let map = seat_map(&app, &f.school, room, SUBJECT1).await;
        own += seated(&map)
            .iter()
            .filter(|s| s.3 == "北京示范职业技术学院")
            .count();
    }
    assert_eq!(own, 4);
    let host_room = format!("{}.{SUBJECT1}", f.rooms[0]);
    let map = seat_map(&app, &f.school, &f.rooms[0], SUBJECT1).await;
    let theirs_here: Vec<_> = seated(&map)
        .into_iter()
        .filter(|s| s.3 == "北京示范职业技术学院")
        .collect();

    // The borrowing school: the 门贴, and its own candidates' 准考证 only.
    let r = print(&app, &f.school2, &host_room, "door-sign").await;
    assert_eq!(r.status, 200, "{}", r.body);
    for doc in ["desk-labels", "sign-in-sheet"] {
        let r = print(&app, &f.school2, &host_room, doc).await;
        assert_eq!(r.status, 403, "{doc}: {}", r.body);
        assert!(
            r.body["message"]
                .as_str()
                .unwrap()
                .contains("仅考核站点所属院校"),
            "{}",
            r.body
        );
    }
    let r = print(&app, &f.school2, &host_room, "tickets").await;
    if theirs_here.is_empty() {
        assert_eq!(r.status, 409, "{}", r.body);
    } else {
        assert_eq!(r.status, 200, "{}", r.body);
        let bytes = pdf(&app, &r.body, theirs_here.len()).await;
        let text = poppler::text(&bytes);
        assert!(
            !text.contains("北方工业大学\n") && !text.contains("所属院校： 北方工业大学"),
            "{text}"
        );
        for s in &theirs_here {
            assert!(text.contains(s.1.as_str()), "{text}");
        }
    }
    // 排考明细 → 导出准考证: all of the school's own, a page each.
    let r = app
        .post(
            "/api/scheduling/details/tickets",
            Some(&f.school2),
            json!({"ids": [], "filter": {"planId": DEMO_PLAN_ID}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let bytes = pdf(&app, &r.body, 4).await;
    assert!(!poppler::text(&bytes).contains("所属院校： 北方工业大学"));

    // Another school and other tenants: nothing.
    app.add_account(
        "school3-admin",
        vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, "10010"),
        "北京第三测试学院",
        vslc_accounts::Role::SchoolAdmin,
    )
    .await;
    let other = app.login("school3-admin").await;
    let province = app.login("province-admin").await;
    for doc in ["door-sign", "desk-labels", "sign-in-sheet", "tickets"] {
        assert_eq!(
            print(&app, &other, &host_room, doc).await.status,
            404,
            "{doc}"
        );
        assert_eq!(
            print(&app, &f.org, &host_room, doc).await.status,
            403,
            "{doc}"
        );
        assert_eq!(
            print(&app, &province, &host_room, doc).await.status,
            403,
            "{doc}"
        );
        let r = print(&app, &f.school, "nothing", doc).await;
        assert_eq!(r.status, 404, "{doc}");
    }
    let r = app
        .post(
            "/api/scheduling/details/tickets",
            Some(&other),
            json!({"ids": [], "filter": {}}),
        )
        .await;
    assert_eq!(r.status, 409, "nothing of its own: {}", r.body);
    app.stop().await;
}

/// Polls a 批量打印 job until it is finished (or 60 s pass).
async fn wait_job(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..600 {
        let r = app
            .get(&format!("/api/scheduling/prints/{id}"), Some(token))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        if matches!(r.body["status"].as_str(), Some("已完成" | "失败")) {
            return r.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("print job {id} did not finish");
}

#[tokio::test]
async fn a_print_job_zips_the_documents_of_every_room_the_school_runs() {
    let (app, _clock, f) = arranged().await;
    let jobs = "/api/scheduling/prints";
    let all = ["考场门贴", "考场签到表", "考场桌贴", "准考证"];

    // Checked at the door: documents named, the plan exists.
    let r = app
        .post(
            jobs,
            Some(&f.school),
            json!({"planId": DEMO_PLAN_ID, "documents": []}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (400, Some("NO_DOCUMENTS")),
        "{}",
        r.body
    );
    let r = app
        .post(
            jobs,
            Some(&f.school),
            json!({"planId": DEMO_PLAN_ID, "documents": ["成绩单"]}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = app
        .post(
            jobs,
            Some(&f.school),
            json!({"planId": "NO-SUCH-PLAN", "documents": ["考场门贴"]}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);

    // One job of a school at a time: of two at once, one is refused; the
    // filter chooses the rooms (第2考场 only).
    let one = json!({"planId": DEMO_PLAN_ID, "room": "第2", "documents": ["考场门贴"]});
    let (a, b) = tokio::join!(
        app.post(jobs, Some(&f.school), one.clone()),
        app.post(jobs, Some(&f.school), one.clone())
    );
    let mut codes = [a.status, b.status];
    codes.sort_unstable();
    assert_eq!(codes, [200, 409], "{} / {}", a.body, b.body);
    let (won, lost) = if a.status == 200 { (a, b) } else { (b, a) };
    assert_eq!(lost.body["code"], "PRINT_JOB_RUNNING", "{}", lost.body);
    let job = wait_job(&app, &f.school, won.body["id"].as_str().unwrap()).await;
    assert_eq!(
        (job["status"].as_str(), job["roomsTotal"].as_u64()),
        (Some("已完成"), Some(1)),
        "{job}"
    );
    let bytes = app.download(job["url"].as_str().unwrap()).await;
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(
        names.len() == 1 && names[0].starts_with("考场门贴/") && names[0].ends_with("/第2考场.pdf"),
        "{names:?}"
    );

    let r = app
        .post(
            jobs,
            Some(&f.school),
            json!({"planId": DEMO_PLAN_ID, "documents": all}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let job = wait_job(&app, &f.school, &id).await;
    assert_eq!(job["status"], "已完成", "{job}");
    assert_eq!(
        job["roomsTotal"], 2,
        "both rooms at the school's site: {job}"
    );
    assert_eq!(
        (job["roomsDone"].as_u64(), job["progress"].as_u64()),
        (Some(2), Some(100))
    );
    assert_eq!(job["files"], 8, "{job}");
    assert!(job["fileName"].as_str().unwrap().ends_with(".zip"), "{job}");

    // The zip: each document of each room, a PDF naming the room and the
    // room's candidates (as the seat map shows them).
    let bytes = app.download(job["url"].as_str().unwrap()).await;
    assert_eq!(bytes.len() as u64, job["size"].as_u64().unwrap());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(zip.len(), 8);
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    for (n, room) in f.rooms.iter().enumerate() {
        let name = format!("第{}考场", n + 1);
        let seats = seated(&seat_map(&app, &f.school, room, SUBJECT1).await);
        assert!(!seats.is_empty());
        for doc in all {
            let entry = names
                .iter()
                .find(|e| e.starts_with(&format!("{doc}/")) && e.ends_with(&format!("/{name}.pdf")))
                .unwrap_or_else(|| panic!("no {doc} of {name}"));
            let mut pdf = Vec::new();
            std::io::Read::read_to_end(&mut zip.by_name(entry).unwrap(), &mut pdf).unwrap();
            let text = poppler::text(&pdf);
            if doc == "准考证" {
                assert_eq!(poppler::page_count(&pdf), seats.len(), "{entry}");
            }
            if doc != "考场门贴" {
                for (_, ticket, person, _) in &seats {
                    assert!(text.contains(ticket.as_str()), "{entry} lacks {ticket}");
                    assert!(text.contains(person.as_str()), "{entry} lacks {person}");
                }
            }
            assert!(text.contains(&name), "{entry}:\n{text}");
            assert!(!text.contains("110105199"), "{entry}: ID numbers masked");
        }
    }

    // Listed for the school, newest first; another school neither sees it
    // nor prints rooms it does not run.
    let r = app.get(jobs, Some(&f.school)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body[0]["id"], id.as_str(), "{}", r.body);
    // Each answer carrying download links to the zips is in 操作日志.
    let r = app
        .get(
            "/api/audit?pageSize=100&action=print-job.download",
            Some(&f.school),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let logged = r.body["items"].as_array().unwrap();
    assert!(
        logged.len() >= 2
            && logged.iter().any(|e| e["targetId"]
                .as_str()
                .unwrap_or_default()
                .contains(id.as_str())),
        "{}",
        r.body
    );
    let r = app.get(&format!("{jobs}/{id}"), Some(&f.school2)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app.get(jobs, Some(&f.school2)).await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(0), "{}", r.body);
    let r = app
        .post(
            jobs,
            Some(&f.school2),
            json!({"planId": DEMO_PLAN_ID, "documents": ["考场门贴"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let theirs = wait_job(&app, &f.school2, r.body["id"].as_str().unwrap()).await;
    assert_eq!(theirs["status"], "失败", "{theirs}");
    assert!(
        theirs["message"].as_str().unwrap().contains("本校考场"),
        "{theirs}"
    );
    assert!(theirs["url"].is_null());
    // Orgs print nothing.
    let r = app
        .post(
            jobs,
            Some(&f.org),
            json!({"planId": DEMO_PLAN_ID, "documents": ["考场门贴"]}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    app.stop().await;
}
