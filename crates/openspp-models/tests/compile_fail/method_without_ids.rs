use openspp_models::g2p_cycle::{G2pCycle, G2pCycleMethods};

async fn approve(odoo: &openspp_client::Session) {
    // `approve` is a button: it runs on records, whose ids come first
    let _ = G2pCycle::repo(odoo).approve().await;
}

fn main() {}
