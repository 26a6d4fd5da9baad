//! `anyfast-video models`: the models the key can use.

use anyfast_video::Client;

use crate::exit::Failure;
use crate::output::{Report, model_json};

pub async fn run(client: &Client, all: bool) -> Result<Report, Failure> {
    let models = if all {
        client.models().list().await?
    } else {
        client.models().video().await?
    };
    let human = models
        .iter()
        .map(|model| {
            if all {
                format!("{}\t{}", model.id, model.endpoint_types.join(","))
            } else {
                model.id.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Report {
        json: models.iter().map(model_json).collect(),
        human,
    })
}
