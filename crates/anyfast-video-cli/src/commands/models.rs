//! `anyfast-video models`: the models the key can use.

use anyfast_video::Client;

use crate::exit::Failure;
use crate::output::{Report, family_name, model_json};

pub async fn run(client: &Client, all: bool) -> Result<Report, Failure> {
    let models = if all {
        client.models().list().await?
    } else {
        client.models().video().await?
    };
    let human = models
        .iter()
        .map(|model| {
            let family = family_name(&model.id).unwrap_or("-");
            if all {
                let endpoints = model.endpoint_types.join(",");
                format!("{}\t{family}\t{endpoints}", model.id)
            } else {
                format!("{}\t{family}", model.id)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Report {
        json: models.iter().map(model_json).collect(),
        human,
    })
}
