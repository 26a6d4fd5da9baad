//! The table of operations (id, method, path) generated beside the client, so that code which
//! sends requests itself (the ergonomic crate's transport) takes its paths from the spec too.

use anyhow::{Result, bail};
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationEntry {
    /// The `operationId`.
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template, such as `/v1/video/generations/{id}`.
    pub path: String,
    /// The summary, for the constant's docs.
    pub summary: String,
}

/// Every operation of `spec`, in the order of the document.
///
/// ```
/// let spec = anyfast_video_codegen::parse_spec(
///     "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: get_a\n      responses: {}\n",
/// )?;
/// let entries = anyfast_video_codegen::operations::entries(&spec)?;
/// assert_eq!(entries[0].id, "get_a");
/// assert_eq!((entries[0].method.as_str(), entries[0].path.as_str()), ("GET", "/a/{id}"));
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn entries(spec: &OpenAPI) -> Result<Vec<OperationEntry>> {
    let mut entries = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            bail!("{path}: a $ref path item is not supported");
        };
        for (method, operation) in item.iter() {
            let Some(id) = operation.operation_id.clone() else {
                bail!("{} {path} has no operationId", method.to_uppercase());
            };
            entries.push(OperationEntry {
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                summary: operation.summary.clone().unwrap_or_default(),
            });
        }
    }
    Ok(entries)
}

/// One `pub const OPERATION_ID: Operation` per operation, and `ALL`, naming the hand-written
/// `Operation` type at `operation_type` (a path such as `crate::operations::Operation`).
pub fn tokens(spec: &OpenAPI, operation_type: &str) -> Result<TokenStream> {
    let operation_type: syn::Path = syn::parse_str(operation_type)?;
    let entries = entries(spec)?;
    let names: Vec<_> = entries
        .iter()
        .map(|entry| format_ident!("{}", entry.id.to_uppercase()))
        .collect();
    let constants = entries.iter().zip(&names).map(|(entry, name)| {
        let OperationEntry {
            id,
            method,
            path,
            summary,
        } = entry;
        let doc = format!("`{method} {path}` (`{id}`): {summary}");
        quote! {
            #[doc = #doc]
            pub const #name: #operation_type = #operation_type {
                id: #id,
                method: #method,
                path: #path,
            };
        }
    });
    Ok(quote! {
        #(#constants)*
        /// Every operation of the spec, in the order of the document.
        pub const ALL: &[#operation_type] = &[#(#names),*];
    })
}
