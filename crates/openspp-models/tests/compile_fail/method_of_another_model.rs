use openspp_client::Id;
use openspp_models::g2p_cycle::G2pCycleMethods;
use openspp_models::res_partner::ResPartner;

async fn approve(odoo: &openspp_client::Session, partner: Id<ResPartner>) {
    // `approve` is g2p.cycle's, not res.partner's
    let _ = ResPartner::repo(odoo).approve(&[partner]).await;
}

fn main() {}
