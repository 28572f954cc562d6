//! OpenSPP 2: a program's workflow through the calls generated from the server's `/doc-bearer`
//! description. It makes three individuals and a program of its own, with the managers the
//! create-program wizard would make (the rebuilt server lacks the wizard's views), adds the
//! individuals as draft members, then, typed: `spp.program.enroll_eligible_registrants`,
//! `spp.program.create_new_cycle` and `spp.cycle.action_prepare_entitlement`. It reads back
//! the memberships' states and the entitlements, and deletes everything it made, whatever
//! happened.

use models::spp_cycle::{SppCycle, SppCycleMethods};
use models::spp_entitlement::{self as entitlement, SppEntitlement};
use models::spp_program::{SppProgram, SppProgramMethods};
use models::spp_program_membership::{self as membership, SppProgramMembership};
use openspp_client::{Args, Id, Session};
use serde_json::json;

/// The managers a program needs: (field on `spp.program`, wrapper model, concrete model,
/// values of the concrete one), as the create-program wizard makes them.
const MANAGERS: &[(&str, &str, &str)] = &[
    (
        "eligibility_manager_ids",
        "spp.eligibility.manager",
        "spp.program.membership.manager.default",
    ),
    (
        "cycle_manager_ids",
        "spp.cycle.manager",
        "spp.cycle.manager.default",
    ),
    (
        "entitlement_manager_ids",
        "spp.program.entitlement.manager",
        "spp.program.entitlement.manager.default",
    ),
    (
        "program_manager_ids",
        "spp.program.manager",
        "spp.program.manager.default",
    ),
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let odoo = real_methods::login().await?;
    let individuals: Vec<i32> = create(
        &odoo,
        "res.partner",
        json!([1, 2, 3].map(|n| json!({
            "name": format!("openspp-rs typed methods: individual {n}"),
            "is_registrant": true,
            "is_group": false,
        }))),
    )
    .await?;
    let program: anyhow::Result<Vec<i32>> = create(
        &odoo,
        "spp.program",
        json!([{"name": "openspp-rs typed methods", "target_type": "individual", "view_id": false}]),
    )
    .await;
    let program = match program {
        Ok(program) => program[0],
        Err(e) => {
            cleanup(&odoo, None, &individuals).await?;
            return Err(e);
        }
    };
    println!("made individuals {individuals:?} and program {program}");
    let outcome = run(&odoo, program, &individuals).await;
    cleanup(&odoo, Some(program), &individuals).await?;
    outcome
}

async fn create<T: serde::de::DeserializeOwned>(
    odoo: &Session,
    model: &str,
    vals_list: serde_json::Value,
) -> anyhow::Result<T> {
    let created = odoo
        .call(model, "create", Args::new().arg("vals_list", vals_list))
        .await?;
    Ok(created)
}

async fn run(odoo: &Session, program: i32, individuals: &[i32]) -> anyhow::Result<()> {
    let mut managers = serde_json::Map::new();
    for (field, wrapper, concrete) in MANAGERS {
        let mut values = json!({"name": "openspp-rs typed methods", "program_id": program});
        if *concrete == "spp.program.entitlement.manager.default" {
            values["amount_per_cycle"] = json!(10.0);
        }
        let made: Vec<i32> = create(odoo, concrete, json!([values])).await?;
        let reference = format!("{concrete},{}", made[0]);
        let wrapped: Vec<i32> = create(
            odoo,
            wrapper,
            json!([{"program_id": program, "manager_ref_id": reference}]),
        )
        .await?;
        managers.insert((*field).into(), json!([[4, wrapped[0]]]));
    }
    let _: bool = odoo
        .call(
            "spp.program",
            "write",
            Args::new().ids([program]).arg("vals", &managers),
        )
        .await?;
    let members: Vec<i32> = create(
        odoo,
        "spp.program.membership",
        json!(
            individuals
                .iter()
                .map(|p| json!({"partner_id": p, "program_id": program}))
                .collect::<Vec<_>>()
        ),
    )
    .await?;
    println!(
        "program {program}: {} managers, {} draft members",
        managers.len(),
        members.len()
    );

    let programs = SppProgram::repo(odoo);
    let program = Id::<SppProgram>::new(program);
    let answer = real_methods::outcome(programs.enroll_eligible_registrants(&[program]).await)?;
    println!("enroll_eligible_registrants {answer}");
    let memberships = SppProgramMembership::repo(odoo)
        .search_read(membership::PROGRAM_ID.eq(program))
        .fields((membership::STATE,))
        .await?;
    let states: Vec<String> = memberships
        .iter()
        .map(|(_, (s,))| format!("{s:?}"))
        .collect();
    println!("memberships read back: {states:?}");

    let answer = real_methods::outcome(programs.create_new_cycle(&[program]).await)?;
    println!("create_new_cycle {answer}");
    let cycles = SppCycle::repo(odoo);
    let cycle: Vec<Id<SppCycle>> = cycles
        .search(models::spp_cycle::PROGRAM_ID.eq(program))
        .await?;
    anyhow::ensure!(
        cycle.len() == 1,
        "create_new_cycle made {} cycles",
        cycle.len()
    );
    let answer = real_methods::outcome(cycles.action_prepare_entitlement(&cycle).await)?;
    println!("action_prepare_entitlement {answer}");
    let entitlements = SppEntitlement::repo(odoo)
        .search_read(entitlement::CYCLE_ID.eq(cycle[0]))
        .fields((entitlement::STATE, entitlement::INITIAL_AMOUNT))
        .await?;
    let read: Vec<String> = entitlements
        .iter()
        .map(|(_, (state, amount))| format!("{state:?} {amount}"))
        .collect();
    println!("entitlements read back: {read:?}");
    Ok(())
}

/// Deletes what the run made: the program's entitlements, cycle memberships, cycles and
/// memberships, the program (its managers go with it), then the individuals.
async fn cleanup(odoo: &Session, program: Option<i32>, individuals: &[i32]) -> anyhow::Result<()> {
    if let Some(program) = program {
        let cycles: Vec<i32> =
            search(odoo, "spp.cycle", json!([["program_id", "=", program]])).await?;
        for (model, domain) in [
            ("spp.entitlement", json!([["cycle_id", "in", cycles]])),
            ("spp.cycle.membership", json!([["cycle_id", "in", cycles]])),
            ("spp.cycle", json!([["id", "in", cycles]])),
            (
                "spp.program.membership",
                json!([["program_id", "=", program]]),
            ),
            ("spp.program", json!([["id", "=", program]])),
        ] {
            let ids = search(odoo, model, domain).await?;
            unlink(odoo, model, &ids).await?;
        }
    }
    unlink(odoo, "res.partner", individuals).await?;
    let left: Vec<i32> = search(odoo, "res.partner", json!([["id", "in", individuals]])).await?;
    println!("cleaned up: program {program:?} and its records deleted; individuals left: {left:?}");
    Ok(())
}

async fn search(
    odoo: &Session,
    model: &str,
    domain: serde_json::Value,
) -> anyhow::Result<Vec<i32>> {
    Ok(odoo
        .call(model, "search", Args::new().arg("domain", domain))
        .await?)
}

/// `unlink`; OpenSPP's `res.partner.unlink` answers `None`, which XML-RPC cannot marshal after
/// the commit: that fault still means deleted.
async fn unlink(odoo: &Session, model: &str, ids: &[i32]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let answer: Result<openspp_client::Value, _> = odoo
        .call(model, "unlink", Args::new().ids(ids.to_vec()))
        .await;
    real_methods::outcome(answer)?;
    Ok(())
}
