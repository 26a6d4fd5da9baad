//! The rules of a body of Kling's create routes (pages kuaishou/kling-v3-t2v,
//! kling-v2-master-i2v, kling-v1-6-mi2v, kling-v3-omni), checked on the JSON itself so that a
//! body typed by hand, a generated body and one read from a file are checked alike.

use serde_json::{Map, Value};

use super::{Rule, Violation, Violations};

/// The longest `prompt` and `negative_prompt`, in characters ("Max 2500 characters").
pub const KLING_MAX_PROMPT_CHARS: usize = 2500;

const DURATIONS_3_TO_15: &[&str] = &[
    "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
];
const DURATIONS_5_OR_10: &[&str] = &["5", "10"];
const MODES: &[&str] = &["std", "pro"];
const ASPECT_RATIOS: &[&str] = &["16:9", "9:16", "1:1"];
const SOUNDS: &[&str] = &["on", "off"];
const SHOT_TYPES: &[&str] = &["customize", "intelligence"];
const OMNI_IMAGE_TYPES: &[&str] = &["first_frame", "end_frame"];
const REFER_TYPES: &[&str] = &["feature", "base"];
const YES_NO: &[&str] = &["yes", "no"];
const CAMERA_FIELDS: [&str; 6] = ["horizontal", "vertical", "pan", "tilt", "roll", "zoom"];

/// One of Kling's create routes, `POST /kling/v1/videos/{path}`.
///
/// ```
/// use anyfast_video_api::validate::KlingAction;
///
/// assert_eq!(KlingAction::OmniVideo.path(), "omni-video");
/// assert_eq!(KlingAction::OmniVideo.query_action(), "text2video");
/// assert_eq!(KlingAction::Image2Video.query_action(), "image2video");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KlingAction {
    /// Text-to-video (`text2video`, body `types::KlingText2VideoRequest`).
    Text2Video,
    /// Image-to-video (`image2video`, body `types::KlingImage2VideoRequest`).
    Image2Video,
    /// Multi-image-to-video (`multi-image2video`, body `types::KlingMultiImage2VideoRequest`).
    MultiImage2Video,
    /// Omni video (`omni-video`, body `types::KlingOmniVideoRequest`).
    OmniVideo,
}

impl KlingAction {
    /// Every action, in the order of the spec's operations.
    pub const ALL: [KlingAction; 4] = [
        KlingAction::Text2Video,
        KlingAction::Image2Video,
        KlingAction::MultiImage2Video,
        KlingAction::OmniVideo,
    ];

    /// The route's last segment: `POST /kling/v1/videos/{path}`.
    ///
    /// ```
    /// use anyfast_video_api::validate::KlingAction;
    ///
    /// let paths: Vec<&str> = KlingAction::ALL.iter().map(|a| a.path()).collect();
    /// assert_eq!(paths, ["text2video", "image2video", "multi-image2video", "omni-video"]);
    /// ```
    pub fn path(self) -> &'static str {
        match self {
            KlingAction::Text2Video => "text2video",
            KlingAction::Image2Video => "image2video",
            KlingAction::MultiImage2Video => "multi-image2video",
            KlingAction::OmniVideo => "omni-video",
        }
    }

    /// The action a task made by this route is queried with,
    /// `GET /kling/v1/videos/{query_action}/{task_id}`. The task query guide: text-to-video
    /// and Omni tasks with `text2video`, image-to-video tasks with `image2video`. It lists no
    /// action for multi-image-to-video tasks; its rule "the action must match the task type of
    /// the original creation request" gives `multi-image2video`, which the spec's closed list
    /// of actions does not hold: query those tasks by id alone (`get_kling_task_by_id`) where
    /// the generated client is used.
    ///
    /// ```
    /// use anyfast_video_api::validate::KlingAction;
    ///
    /// assert_eq!(KlingAction::Text2Video.query_action(), "text2video");
    /// assert_eq!(KlingAction::MultiImage2Video.query_action(), "multi-image2video");
    /// ```
    pub fn query_action(self) -> &'static str {
        match self {
            KlingAction::Text2Video | KlingAction::OmniVideo => "text2video",
            KlingAction::Image2Video => "image2video",
            KlingAction::MultiImage2Video => "multi-image2video",
        }
    }

    /// The action of a route's last segment (`"omni-video"`), if it is one of the four.
    ///
    /// ```
    /// use anyfast_video_api::validate::KlingAction;
    ///
    /// assert_eq!(KlingAction::from_path("multi-image2video"), Some(KlingAction::MultiImage2Video));
    /// assert_eq!(KlingAction::from_path("lip-sync"), None);
    /// ```
    pub fn from_path(path: &str) -> Option<KlingAction> {
        KlingAction::ALL
            .into_iter()
            .find(|action| action.path() == path)
    }

    /// The action a Kling model takes whatever its body holds: omni-video for an omni model
    /// (`kling-v3-omni`); `None` for the others, whose action follows their inputs.
    ///
    /// ```
    /// use anyfast_video_api::validate::KlingAction;
    ///
    /// assert_eq!(KlingAction::of_model("kling-v3-omni"), Some(KlingAction::OmniVideo));
    /// assert_eq!(KlingAction::of_model("kling-v3"), None);
    /// ```
    pub fn of_model(model: &str) -> Option<KlingAction> {
        model.contains("omni").then_some(KlingAction::OmniVideo)
    }

    /// The durations the route's page lists.
    fn durations(self) -> &'static [&'static str] {
        match self {
            KlingAction::MultiImage2Video => DURATIONS_5_OR_10,
            _ => DURATIONS_3_TO_15,
        }
    }
}

/// Collects the violations of one body, with the field paths.
struct Report(Vec<Violation>);

impl Report {
    fn add(&mut self, field: impl Into<String>, rule: Rule) {
        self.0.push(Violation {
            field: field.into(),
            rule,
        });
    }

    /// A string field: its text, or a violation when it holds anything else.
    fn string<'a>(&mut self, body: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
        match body.get(field)? {
            Value::String(text) => Some(text),
            Value::Null => None,
            _ => {
                self.add(
                    field,
                    Rule::Format {
                        expected: "a string",
                    },
                );
                None
            }
        }
    }

    /// A text of at most [`KLING_MAX_PROMPT_CHARS`] characters.
    fn prompt<'a>(&mut self, body: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
        let text = self.string(body, field)?;
        if text.chars().count() > KLING_MAX_PROMPT_CHARS {
            self.add(
                field,
                Rule::TooLong {
                    max: KLING_MAX_PROMPT_CHARS,
                },
            );
        }
        Some(text)
    }

    /// A word among `allowed`.
    fn word(&mut self, body: &Map<String, Value>, field: &str, allowed: &'static [&'static str]) {
        self.word_at(body, field, field, allowed);
    }

    fn word_at(
        &mut self,
        body: &Map<String, Value>,
        key: &str,
        path: &str,
        allowed: &'static [&'static str],
    ) {
        match body.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(word)) if allowed.contains(&word.as_str()) => {}
            Some(_) => self.add(path, Rule::OneOf { allowed }),
        }
    }

    fn boolean(&mut self, body: &Map<String, Value>, field: &str, path: &str) -> Option<bool> {
        match body.get(field)? {
            Value::Bool(value) => Some(*value),
            Value::Null => None,
            _ => {
                self.add(
                    path,
                    Rule::Format {
                        expected: "true or false",
                    },
                );
                None
            }
        }
    }

    /// An array field: its items, or a violation when it holds anything else.
    fn array<'a>(&mut self, body: &'a Map<String, Value>, field: &str) -> Option<&'a [Value]> {
        match body.get(field)? {
            Value::Array(items) => Some(items),
            Value::Null => None,
            _ => {
                self.add(field, Rule::Format { expected: "a list" });
                None
            }
        }
    }

    /// Each item of an array field must be an object; yields each with its path.
    fn objects<'a>(
        &mut self,
        items: &'a [Value],
        field: &str,
    ) -> Vec<(String, &'a Map<String, Value>)> {
        let mut objects = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let path = format!("{field}[{index}]");
            match item.as_object() {
                Some(object) => objects.push((path, object)),
                None => self.add(
                    path,
                    Rule::Format {
                        expected: "an object",
                    },
                ),
            }
        }
        objects
    }
}

/// Checks a body of one of Kling's create routes with the rules its page states:
/// - `prompt` (and `negative_prompt`) at most 2500 characters; `prompt` required for
///   text2video and multi-image2video, and for image2video and omni-video unless
///   `multi_shot` is true;
/// - image2video: `image` or `image_tail`; multi-image2video: `image_list` of 1 to 4 items,
///   each with an `image`;
/// - `duration` a string among the page's values ("3" to "15"; "5" or "10" for
///   multi-image2video); `mode` `std` or `pro`; `aspect_ratio` `16:9`, `9:16` or `1:1`;
///   `cfg_scale` 0 to 1; `sound` `on` or `off`;
/// - `multi_shot: true` needs `shot_type`; `shot_type: customize` needs `multi_prompt`
///   (1 to 6 shots);
/// - `camera_control.config`'s six fields are numbers (the pages state no range, so none is
///   refused); the Omni `image_list[].type`, `video_list[].refer_type` and
///   `keep_original_sound` among their words.
///
/// ```
/// use anyfast_video_api::validate::{KlingAction, check_kling};
/// use serde_json::json;
///
/// assert!(check_kling(KlingAction::Text2Video, &json!({"prompt": "a cat", "duration": "10"})).is_ok());
/// let refused = check_kling(
///     KlingAction::Image2Video,
///     &json!({"prompt": "smile", "duration": 5, "cfg_scale": 1.5}),
/// )
/// .unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "image: one of image, image_tail is required; \
///      duration: must be one of 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15; \
///      cfg_scale: must be 0 to 1",
/// );
/// ```
pub fn check_kling(action: KlingAction, body: &Value) -> Result<(), Violations> {
    let mut report = Report(Vec::new());
    let Some(body) = body.as_object() else {
        report.add(
            "body",
            Rule::Format {
                expected: "a JSON object",
            },
        );
        return Err(Violations(report.0));
    };

    let multi_shot = report.boolean(body, "multi_shot", "multi_shot") == Some(true);
    let prompt = report.prompt(body, "prompt");
    report.prompt(body, "negative_prompt");
    let prompt_required = match action {
        KlingAction::Text2Video | KlingAction::MultiImage2Video => true,
        KlingAction::Image2Video | KlingAction::OmniVideo => !multi_shot,
    };
    match prompt {
        None if prompt_required && body.get("prompt").is_none_or(Value::is_null) => {
            report.add("prompt", Rule::Required)
        }
        Some(text) if prompt_required && text.trim().is_empty() => {
            report.add("prompt", Rule::EmptyText)
        }
        _ => {}
    }
    report.string(body, "model_name");

    match action {
        KlingAction::Image2Video => {
            let image = report
                .string(body, "image")
                .filter(|s| !s.trim().is_empty());
            let tail = report
                .string(body, "image_tail")
                .filter(|s| !s.trim().is_empty());
            if image.is_none() && tail.is_none() {
                report.add(
                    "image",
                    Rule::RequiredOneOf {
                        fields: &["image", "image_tail"],
                    },
                );
            }
            report.string(body, "static_mask");
        }
        KlingAction::MultiImage2Video => match report.array(body, "image_list") {
            None if body.get("image_list").is_none_or(Value::is_null) => {
                report.add("image_list", Rule::Required)
            }
            None => {}
            Some(items) => {
                if !(1..=4).contains(&items.len()) {
                    report.add("image_list", Rule::Count { min: 1, max: 4 });
                }
                for (path, item) in report.objects(items, "image_list") {
                    match item.get("image") {
                        Some(Value::String(image)) if !image.trim().is_empty() => {}
                        Some(Value::String(_)) => {
                            report.add(format!("{path}.image"), Rule::EmptyText)
                        }
                        _ => report.add(format!("{path}.image"), Rule::Required),
                    }
                }
            }
        },
        KlingAction::OmniVideo => {
            if let Some(items) = report.array(body, "image_list") {
                for (path, item) in report.objects(items, "image_list") {
                    report.word_at(item, "type", &format!("{path}.type"), OMNI_IMAGE_TYPES);
                }
            }
            if let Some(items) = report.array(body, "video_list") {
                for (path, item) in report.objects(items, "video_list") {
                    report.word_at(
                        item,
                        "refer_type",
                        &format!("{path}.refer_type"),
                        REFER_TYPES,
                    );
                    report.word_at(
                        item,
                        "keep_original_sound",
                        &format!("{path}.keep_original_sound"),
                        YES_NO,
                    );
                }
            }
        }
        KlingAction::Text2Video => {}
    }

    report.word(body, "duration", action.durations());
    report.word(body, "mode", MODES);
    if action != KlingAction::Image2Video {
        report.word(body, "aspect_ratio", ASPECT_RATIOS);
    }
    report.word(body, "sound", SOUNDS);
    match body.get("cfg_scale") {
        None | Some(Value::Null) => {}
        Some(Value::Number(number))
            if number.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)) => {}
        Some(Value::Number(_)) => report.add("cfg_scale", Rule::OutOfRange { min: 0, max: 1 }),
        Some(_) => report.add(
            "cfg_scale",
            Rule::Format {
                expected: "a number from 0 to 1",
            },
        ),
    }

    if action != KlingAction::MultiImage2Video {
        report.word(body, "shot_type", SHOT_TYPES);
        let shot_type = body.get("shot_type").and_then(Value::as_str);
        if multi_shot && shot_type.is_none() {
            report.add("shot_type", Rule::Required);
        }
        match report.array(body, "multi_prompt") {
            Some(shots) => {
                if !(1..=6).contains(&shots.len()) {
                    report.add("multi_prompt", Rule::Count { min: 1, max: 6 });
                }
                report.objects(shots, "multi_prompt");
            }
            None if multi_shot && shot_type == Some("customize") => {
                report.add("multi_prompt", Rule::Required)
            }
            None => {}
        }
    }

    if let Some(camera) = body.get("camera_control").filter(|v| !v.is_null()) {
        match camera.as_object() {
            None => report.add(
                "camera_control",
                Rule::Format {
                    expected: "an object",
                },
            ),
            Some(camera) => {
                if let Some(kind) = camera.get("type")
                    && !kind.is_string()
                {
                    report.add(
                        "camera_control.type",
                        Rule::Format {
                            expected: "a string",
                        },
                    );
                }
                match camera.get("config") {
                    None | Some(Value::Null) => {}
                    Some(Value::Object(config)) => {
                        for field in CAMERA_FIELDS {
                            if config
                                .get(field)
                                .is_some_and(|v| !v.is_number() && !v.is_null())
                            {
                                report.add(
                                    format!("camera_control.config.{field}"),
                                    Rule::Format {
                                        expected: "a number",
                                    },
                                );
                            }
                        }
                    }
                    Some(_) => report.add(
                        "camera_control.config",
                        Rule::Format {
                            expected: "an object",
                        },
                    ),
                }
            }
        }
    }
    if let Some(watermark) = body.get("watermark_info").filter(|v| !v.is_null()) {
        match watermark.as_object() {
            Some(watermark) => {
                report.boolean(watermark, "enabled", "watermark_info.enabled");
            }
            None => report.add(
                "watermark_info",
                Rule::Format {
                    expected: "an object",
                },
            ),
        }
    }
    report.string(body, "callback_url");
    report.string(body, "external_task_id");

    if report.0.is_empty() {
        Ok(())
    } else {
        Err(Violations(report.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(action: KlingAction, body: Value) -> Vec<(String, Rule)> {
        match check_kling(action, &body) {
            Ok(()) => Vec::new(),
            Err(Violations(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    fn examples() -> Vec<(KlingAction, Value)> {
        let spec: Value = serde_json::from_str(crate::spec::JSON_SCHEMA).unwrap();
        let schemas = &spec["components"]["schemas"];
        [
            (KlingAction::Text2Video, "KlingText2VideoRequest"),
            (KlingAction::Image2Video, "KlingImage2VideoRequest"),
            (
                KlingAction::MultiImage2Video,
                "KlingMultiImage2VideoRequest",
            ),
            (KlingAction::OmniVideo, "KlingOmniVideoRequest"),
        ]
        .into_iter()
        .map(|(action, schema)| (action, schemas[schema]["example"].clone()))
        .collect()
    }

    #[test]
    fn the_spec_examples_pass_and_type_as_the_generated_bodies() {
        for (action, example) in examples() {
            assert!(example.is_object(), "{action:?}");
            assert_eq!(fields(action, example.clone()), [], "{action:?}");
            let typed = match action {
                KlingAction::Text2Video => {
                    serde_json::from_value::<crate::types::KlingText2VideoRequest>(example)
                        .map(drop)
                }
                KlingAction::Image2Video => {
                    serde_json::from_value::<crate::types::KlingImage2VideoRequest>(example)
                        .map(drop)
                }
                KlingAction::MultiImage2Video => {
                    serde_json::from_value::<crate::types::KlingMultiImage2VideoRequest>(example)
                        .map(drop)
                }
                KlingAction::OmniVideo => {
                    serde_json::from_value::<crate::types::KlingOmniVideoRequest>(example).map(drop)
                }
            };
            typed.unwrap();
        }
    }

    #[test]
    fn prompts_are_required_where_the_pages_say_and_limited_in_length() {
        for action in [KlingAction::Text2Video, KlingAction::MultiImage2Video] {
            let found = fields(
                action,
                json!({"image_list": [{"image": "https://e.com/a.png"}]}),
            );
            assert_eq!(
                found,
                [("prompt".to_string(), Rule::Required)],
                "{action:?}"
            );
        }
        let image = json!({"image": "https://e.com/a.png"});
        assert_eq!(
            fields(KlingAction::Image2Video, image.clone()),
            [("prompt".to_string(), Rule::Required)]
        );
        let multi_shot = json!({"image": "https://e.com/a.png", "multi_shot": true,
            "shot_type": "intelligence"});
        assert_eq!(fields(KlingAction::Image2Video, multi_shot), []);
        assert_eq!(
            fields(KlingAction::OmniVideo, json!({})),
            [("prompt".to_string(), Rule::Required)]
        );
        let long = "字".repeat(2501);
        assert_eq!(
            fields(
                KlingAction::Text2Video,
                json!({"prompt": long, "negative_prompt": "x".repeat(2501)})
            ),
            [
                ("prompt".to_string(), Rule::TooLong { max: 2500 }),
                ("negative_prompt".to_string(), Rule::TooLong { max: 2500 })
            ]
        );
        assert_eq!(
            fields(
                KlingAction::Text2Video,
                json!({"prompt": "字".repeat(2500)})
            ),
            []
        );
    }

    #[test]
    fn image_routes_need_their_images() {
        assert_eq!(
            fields(
                KlingAction::Image2Video,
                json!({"prompt": "p", "image_tail": "https://e.com/end.png"})
            ),
            []
        );
        let list = |n: usize| {
            let items: Vec<Value> = (0..n)
                .map(|i| json!({"image": format!("https://e.com/{i}.png")}))
                .collect();
            json!({"prompt": "p", "image_list": items})
        };
        assert_eq!(fields(KlingAction::MultiImage2Video, list(4)), []);
        for n in [0, 5] {
            assert_eq!(
                fields(KlingAction::MultiImage2Video, list(n)),
                [("image_list".to_string(), Rule::Count { min: 1, max: 4 })]
            );
        }
        assert_eq!(
            fields(
                KlingAction::MultiImage2Video,
                json!({"prompt": "p", "image_list": [{"image": ""}, {}]})
            ),
            [
                ("image_list[0].image".to_string(), Rule::EmptyText),
                ("image_list[1].image".to_string(), Rule::Required)
            ]
        );
    }

    #[test]
    fn words_and_numbers_are_among_the_pages_values() {
        let found = fields(
            KlingAction::MultiImage2Video,
            json!({"prompt": "p", "image_list": [{"image": "a"}], "duration": "7",
                "mode": "fast", "aspect_ratio": "4:3"}),
        );
        assert_eq!(
            found,
            [
                (
                    "duration".to_string(),
                    Rule::OneOf {
                        allowed: DURATIONS_5_OR_10
                    }
                ),
                ("mode".to_string(), Rule::OneOf { allowed: MODES }),
                (
                    "aspect_ratio".to_string(),
                    Rule::OneOf {
                        allowed: ASPECT_RATIOS
                    }
                )
            ]
        );
        assert_eq!(
            fields(
                KlingAction::Text2Video,
                json!({"prompt": "p", "cfg_scale": "high", "sound": "loud"})
            ),
            [
                ("sound".to_string(), Rule::OneOf { allowed: SOUNDS }),
                (
                    "cfg_scale".to_string(),
                    Rule::Format {
                        expected: "a number from 0 to 1"
                    }
                )
            ]
        );
        assert_eq!(
            fields(
                KlingAction::Text2Video,
                json!({"prompt": "p", "cfg_scale": 0, "duration": "15"})
            ),
            []
        );
    }

    #[test]
    fn multi_shot_needs_its_storyboard() {
        assert_eq!(
            fields(
                KlingAction::Text2Video,
                json!({"prompt": "p", "multi_shot": true})
            ),
            [("shot_type".to_string(), Rule::Required)]
        );
        assert_eq!(
            fields(
                KlingAction::OmniVideo,
                json!({"multi_shot": true, "shot_type": "customize"})
            ),
            [("multi_prompt".to_string(), Rule::Required)]
        );
        let seven: Vec<Value> = (0..7)
            .map(|i| json!({"index": i, "prompt": "shot", "duration": "1"}))
            .collect();
        assert_eq!(
            fields(
                KlingAction::OmniVideo,
                json!({"multi_shot": true, "shot_type": "customize", "multi_prompt": seven})
            ),
            [("multi_prompt".to_string(), Rule::Count { min: 1, max: 6 })]
        );
    }

    #[test]
    fn nested_objects_are_checked_with_their_paths() {
        let found = fields(
            KlingAction::OmniVideo,
            json!({"prompt": "p",
                "image_list": [{"image_url": "a", "type": "middle_frame"}],
                "video_list": [{"video_url": "v", "refer_type": "base", "keep_original_sound": true}],
                "camera_control": {"type": "simple", "config": {"zoom": "in"}},
                "watermark_info": {"enabled": "yes"}}),
        );
        let fields: Vec<&str> = found.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "image_list[0].type",
                "video_list[0].keep_original_sound",
                "camera_control.config.zoom",
                "watermark_info.enabled"
            ]
        );
        assert_eq!(
            check_kling(KlingAction::Text2Video, &json!([]))
                .unwrap_err()
                .0[0]
                .field,
            "body"
        );
    }
}
