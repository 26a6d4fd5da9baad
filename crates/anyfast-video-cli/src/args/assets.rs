//! `anyfast-video assets ...`: the asset library.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum AssetsCommand {
    /// Asset groups.
    Groups {
        #[command(subcommand)]
        command: GroupsCommand,
    },
    /// Upload a local file (its kind is read from its bytes) and wait until it is Active.
    Upload {
        /// The image, video or audio file.
        file: PathBuf,
        /// The group to file it in (`assets groups create NAME` makes one).
        #[arg(long, value_name = "ID")]
        group: String,
        /// Its name (default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// Print the id at once instead of waiting until the asset is Active.
        #[arg(long)]
        no_wait: bool,
    },
    /// List assets, a page at a time.
    List {
        /// Only assets of this group (repeatable).
        #[arg(long, value_name = "ID")]
        group: Vec<String>,
        /// Only assets of this name.
        #[arg(long)]
        name: Option<String>,
        /// The page, from 1.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Assets per page, 1 to 100.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
        page_size: u32,
        /// Every page from --page on.
        #[arg(long)]
        all: bool,
    },
    /// Print an asset.
    Get {
        /// The asset id (`asset-...`).
        id: String,
    },
    /// Delete an asset for good (videos already made from it are not affected).
    Delete {
        /// The asset id (`asset-...`).
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum GroupsCommand {
    /// Create a group and print its id.
    Create {
        /// The group's name.
        name: String,
    },
}
