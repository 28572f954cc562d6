use openspp_client::Id;
use openspp_models::g2p_cycle::{G2pCycle, G2pCycleMethods};
use openspp_models::g2p_program::G2pProgram;

async fn approve(odoo: &openspp_client::Session, program: Id<G2pProgram>) {
    // the ids are typed: a program's id is not a cycle's
    let _ = G2pCycle::repo(odoo).approve(&[program]).await;
}

fn main() {}
