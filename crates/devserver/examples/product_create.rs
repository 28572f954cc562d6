//! `ProductTemplate::create(name)` from the generated bindings, read back and deleted: the
//! closing check of issue 17 against a real Odoo 17 or 19 (the name is all either needs; the
//! server makes the first variant). Prints the id, the name and the variant count read back.
//!
//! `cargo run -p openspp-devserver --example product_create [-- --json2 | --xmlrpc] [--url URL --db DB --user LOGIN]`
mod guide;

use openspp_models::product_template::{self, ProductTemplate};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let odoo = guide::authenticate(&target).await?;
    let templates = ProductTemplate::repo(&odoo);
    let id = templates
        .create(ProductTemplate::create("openspp-rs issue 17 check"))
        .await?;
    let rows = templates
        .read(&[id])
        .fields((
            product_template::NAME,
            product_template::PRODUCT_VARIANT_IDS,
        ))
        .await?;
    let (name, variants) = &rows[0].1;
    println!(
        "created product.template {}: name {name:?}, {} variant(s)",
        id.get(),
        variants.len()
    );
    templates.unlink(&[id]).await?;
    println!("deleted product.template {}", id.get());
    target.finish().await;
    Ok(())
}
