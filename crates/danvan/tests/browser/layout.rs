//! Every main page at a phone's 360×740 and a desktop's 1366×768: no page
//! is wider than the screen, axe-core finds no serious or critical
//! accessibility violation, and the pages with stored screenshots look as
//! they did, within a tolerance (`DANVAN_UPDATE_SCREENSHOTS=1` rewrites
//! them after an intended change).

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use serde_json::Value;

/// The main pages, as the demo officer sees them.
const PAGES: &[&str] = &[
    "/",
    "/don-thu",
    "/don-thu/moi",
    "/ghi-nhan",
    "/ghi-nhan/tiep-cong-dan",
    "/ghi-nhan/tiep-cong-dan/moi",
    "/ghi-nhan/hoi-nghi/moi",
    "/bao-cao?ky=2020-H1",
    "/bao-cao/yeu-cau",
    "/bao-cao/yeu-cau/1",
    "/bao-cao/gui/1",
    "/thong-bao",
    "/don-vi",
    "/nhap-tep",
    "/kiem-tra",
    "/nguoi-dung",
    "/huong-dan",
];

/// The pages compared with stored screenshots: their content does not
/// move with the calendar.
const SHOTS: &[(&str, &str)] = &[
    ("/ghi-nhan", "ghi-nhan"),
    ("/bao-cao?ky=2020-H1", "bao-cao"),
];

const SIZES: &[(u32, u32)] = &[(360, 740), (1366, 768)];

/// A pixel differs when a channel moves by more than this…
const CHANNEL: u8 = 40;
/// …and a screenshot differs when more than this share of pixels do.
const TOLERANCE: f64 = 0.02;

fn required() -> bool {
    std::env::var("DANVAN_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1")
}

/// axe-core's script: `DANVAN_AXE_JS`, or where `.ci/run` installs it.
pub fn axe_source() -> Option<String> {
    let path = std::env::var_os("DANVAN_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = format!(
                "axe-core not found at {} ({e}); `npm install --prefix target/axe axe-core`",
                path.display()
            );
            assert!(!required(), "{msg}");
            eprintln!("skipped the accessibility check: {msg}");
            None
        }
    }
}

fn shot_path(name: &str, width: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/screenshots")
        .join(format!("{name}-{width}.png"))
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut d = png::Decoder::new(std::io::Cursor::new(png_bytes));
    d.set_transformations(png::Transformations::normalize_to_color8());
    let mut r = d.read_info().expect("a PNG");
    let mut buf = vec![0; r.output_buffer_size().expect("its size")];
    let info = r.next_frame(&mut buf).expect("its pixels");
    buf.truncate(info.buffer_size());
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("screenshot colour type {other:?}"),
    };
    (info.width, info.height, rgba)
}

/// The share of pixels that differ, or why the two cannot be compared.
fn difference(a: &[u8], b: &[u8]) -> Result<f64, String> {
    let (wa, ha, pa) = decode(a);
    let (wb, hb, pb) = decode(b);
    if (wa, ha) != (wb, hb) {
        return Err(format!("size {wa}×{ha}, stored {wb}×{hb}"));
    }
    let differ = pa
        .chunks(4)
        .zip(pb.chunks(4))
        .filter(|(x, y)| x.iter().zip(*y).any(|(p, q)| p.abs_diff(*q) > CHANNEL))
        .count();
    Ok(differ as f64 / f64::from(wa * ha))
}

pub async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(axe, vec![]).await.expect("load axe-core");
    let got = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ["violations"] })
                 .then(r => done(r.violations
                   .filter(v => v.impact === "serious" || v.impact === "critical")
                   .map(v => v.id + " (" + v.impact + "): " + v.help + " — "
                        + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "))))
                 .catch(e => done(["axe failed: " + e]));"#,
            vec![],
        )
        .await
        .expect("run axe-core");
    match got {
        Value::Array(v) => v
            .iter()
            .map(|x| x.as_str().unwrap_or("?").to_string())
            .collect(),
        other => vec![format!("axe answered {other}")],
    }
}

/// Walk every page at every size; one assertion lists every problem.
pub async fn check(c: &Client, base: &str) {
    let axe = axe_source();
    let update = std::env::var("DANVAN_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");
    let mut problems = Vec::new();
    for &(width, height) in SIZES {
        c.set_window_size(width, height).await.expect("resize");
        for page in PAGES {
            c.goto(&format!("{base}{page}"))
                .await
                .expect("open the page");
            c.wait()
                .for_element(Locator::Css("main"))
                .await
                .expect("the page's main");
            let sizes = c
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth];",
                    vec![],
                )
                .await
                .expect("measure");
            let (wide, inner) = (
                sizes[0].as_u64().unwrap_or(0),
                sizes[1].as_u64().unwrap_or(0),
            );
            if wide > inner {
                problems.push(format!("{page} at {width}px: the page is {wide}px wide"));
            }
            if let Some(axe) = &axe {
                for v in axe_violations(c, axe).await {
                    problems.push(format!("{page} at {width}px: {v}"));
                }
            }
            if let Some((_, name)) = SHOTS.iter().find(|(p, _)| p == page) {
                let now = c.screenshot().await.expect("screenshot");
                let path = shot_path(name, width);
                match std::fs::read(&path) {
                    Ok(stored) if !update => match difference(&now, &stored) {
                        Ok(share) if share <= TOLERANCE => {}
                        Ok(share) => problems.push(format!(
                            "{page} at {width}px: {:.1}% of the screenshot differs from {}",
                            share * 100.0,
                            path.display()
                        )),
                        Err(why) => problems.push(format!("{page} at {width}px: {why}")),
                    },
                    _ => std::fs::write(&path, &now).expect("store the screenshot"),
                }
            }
        }
    }
    c.set_window_size(1280, 1000).await.expect("resize back");
    assert!(
        problems.is_empty(),
        "layout and accessibility:\n{}",
        problems.join("\n")
    );
}
