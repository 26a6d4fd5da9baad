//! `anyfast-video assets ...`: groups, uploads, listing, getting, deleting.

use anyfast_video::{AssetQuery, AssetUpload, Client, DEFAULT_ACTIVATION_TIMEOUT};
use serde_json::json;

use crate::args::{AssetsCommand, GroupsCommand};
use crate::exit::Failure;
use crate::output::{Report, asset_json, asset_line};

pub async fn run(client: &Client, command: &AssetsCommand) -> Result<Report, Failure> {
    let assets = client.assets();
    match command {
        AssetsCommand::Groups {
            command: GroupsCommand::Create { name },
        } => {
            let id = assets.create_group(name).await?;
            Ok(Report {
                json: json!({"id": id, "name": name}),
                human: id,
            })
        }
        AssetsCommand::Upload {
            file,
            group,
            name,
            no_wait,
        } => {
            let mut upload = AssetUpload::file(file);
            if let Some(name) = name {
                upload = upload.name(name.as_str());
            }
            let id = assets.upload(group, upload).await?;
            if *no_wait {
                return Ok(Report {
                    json: json!({"id": id}),
                    human: id,
                });
            }
            eprintln!(
                "uploaded {} as {id}; waiting until it is Active",
                file.display()
            );
            let asset = assets
                .wait_until_active(&id, DEFAULT_ACTIVATION_TIMEOUT)
                .await?;
            Ok(Report {
                json: asset_json(&asset),
                human: asset.id,
            })
        }
        AssetsCommand::List {
            group,
            name,
            page,
            page_size,
            all,
        } => {
            let mut query = AssetQuery::default().page(*page).page_size(*page_size);
            for id in group {
                query = query.group(id.as_str());
            }
            if let Some(name) = name {
                query = query.named(name.as_str());
            }
            let (items, page_json) = if *all {
                let items = assets.list_all(query).await?;
                let total = items.len();
                (items, json!({"total": total}))
            } else {
                let page = assets.list(query).await?;
                let info = json!({"page": page.page_number, "page_size": page.page_size, "total": page.total});
                (page.items, info)
            };
            let mut json = page_json;
            json["items"] = items.iter().map(asset_json).collect();
            let human = items.iter().map(asset_line).collect::<Vec<_>>().join("\n");
            Ok(Report { json, human })
        }
        AssetsCommand::Get { id } => {
            let asset = assets.get(id).await?;
            Ok(Report {
                json: asset_json(&asset),
                human: asset_line(&asset),
            })
        }
        AssetsCommand::Delete { id } => {
            assets.delete(id).await?;
            Ok(Report {
                json: serde_json::json!({"id": id, "deleted": true}),
                human: format!("deleted {id}"),
            })
        }
    }
}
