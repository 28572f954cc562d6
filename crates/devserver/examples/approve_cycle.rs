//! A cycle approved through the generated calls, on a real OpenSPP 17, on a program of its own:
//! the create-program wizard (`create_program`) with an approver group on its cycle manager,
//! then `create_new_cycle`, `prepare_entitlement`, `to_approve` and `approve`, each answer
//! printed with the cycle and its entitlements as read back. Everything it made is deleted at
//! the end, whatever happened. `approve_cycle_check.py` runs the same steps in plain Python.
//!
//! OpenSPP's cycle manager approves only with an approver group set
//! (`g2p.cycle.manager.default.approver_group_id`), and only for a member of that group or the
//! superuser: the program is made with `g2p_registry_base.group_g2p_admin`, to which the
//! user must already belong (the example changes no user's groups).
//!
//! `ODOO_PASSWORD=admin cargo run -p openspp-devserver --example approve_cycle -- --url
//! http://127.0.0.1:8069 [--db openspp] [--user admin]` (or `ODOO_API_KEY`); it needs a real
//! OpenSPP 17, not the dev server.
mod guide;

use openspp_client::{Action, Id, Session, Value};
use openspp_models::g2p_cycle::{self as cycle, G2pCycle, G2pCycleMethods};
use openspp_models::g2p_entitlement::{self as entitlement, G2pEntitlement};
use openspp_models::g2p_program::{G2pProgram, G2pProgramMethods};
use openspp_models::g2p_program_create_wizard::{
    self as wizard, EntitlementKind, G2pProgramCreateWizard, G2pProgramCreateWizardMethods,
    ImportBeneficiaries, TargetType,
};
use openspp_models::res_currency::{self as currency, ResCurrency};
use openspp_models::res_groups::ResGroups;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    anyhow::ensure!(
        target.server.is_none(),
        "approve_cycle runs against a real OpenSPP 17: give --url"
    );
    let odoo = guide::authenticate(&target).await?;
    let program = create_program(&odoo).await?;
    println!("program {} made by the wizard", program.get());
    let outcome = approve(&odoo, program).await;
    cleanup::program(&odoo, program).await?;
    outcome
}

/// The wizard's program: the same settings as the seed's "Bench Cash Transfer", plus the
/// approver group.
async fn create_program(odoo: &Session) -> anyhow::Result<Id<G2pProgram>> {
    let usd = ResCurrency::repo(odoo)
        .search(currency::NAME.eq("USD"))
        .await?;
    let approvers = ResGroups::repo(odoo)
        .by_xmlid("g2p_registry_base.group_g2p_admin")
        .await?;
    let wizards = G2pProgramCreateWizard::repo(odoo);
    let made = wizards
        .create(
            wizard::NAME
                .set("openspp-rs approve twin (rust)")
                .and(wizard::CURRENCY_ID.set(usd[0]))
                .and(wizard::TARGET_TYPE.set(TargetType::Group))
                .and(
                    wizard::ELIGIBILITY_DOMAIN
                        .set("[('is_registrant', '=', True), ('is_group', '=', True)]"),
                )
                .and(wizard::ENTITLEMENT_KIND.set(EntitlementKind::Default))
                .and(wizard::AMOUNT_PER_CYCLE.set(100.0))
                .and(wizard::AMOUNT_PER_INDIVIDUAL_IN_GROUP.set(25.0))
                .and(wizard::MAX_INDIVIDUAL_IN_GROUP.set(0))
                .and(wizard::CYCLE_DURATION.set(1))
                .and(wizard::IMPORT_BENEFICIARIES.set(ImportBeneficiaries::Yes))
                .and(wizard::APPROVER_GROUP_ID.set(approvers)),
        )
        .await?;
    let action = wizards
        .create_program(&[made])
        .returning::<Option<Action>>()
        .await?;
    let Some(Action::Window(window)) = &action else {
        anyhow::bail!("create_program answered {action:?}, not the program's form");
    };
    window
        .record::<G2pProgram>()
        .ok_or_else(|| anyhow::anyhow!("create_program opened no program: {window:?}"))
}

async fn approve(odoo: &Session, program: Id<G2pProgram>) -> anyhow::Result<()> {
    let answer = G2pProgram::repo(odoo).create_new_cycle(&[program]).await?;
    println!("create_new_cycle answered {}", message(&answer));
    let cycles = G2pCycle::repo(odoo);
    let made = cycles.search(cycle::PROGRAM_ID.eq(program)).await?;
    anyhow::ensure!(
        made.len() == 1,
        "create_new_cycle made {} cycles",
        made.len()
    );
    type Step = fn(
        &openspp_client::Repository<G2pCycle>,
        &[Id<G2pCycle>],
    ) -> openspp_client::Method<G2pCycle, Value>;
    let steps: [(&str, Step); 3] = [
        ("prepare_entitlement", |r, ids| r.prepare_entitlement(ids)),
        ("to_approve", |r, ids| r.to_approve(ids)),
        ("approve", |r, ids| r.approve(ids)),
    ];
    for (name, step) in steps {
        match step(&cycles, &made).await {
            Ok(answer) => println!("{name} answered {}", message(&answer)),
            // Odoo 17 marshals a `None` answer after the commit: the step ran.
            Err(e) if e.may_have_changed_data() => {
                println!("{name}: may have changed data: {e}")
            }
            Err(e) => return Err(e.into()),
        }
        read_back(odoo, made[0]).await?;
    }
    Ok(())
}

/// A notification's message, or the answer as it came.
fn message(answer: &Value) -> String {
    let params = answer.as_struct().and_then(|a| a.get("params"));
    match params
        .and_then(Value::as_struct)
        .and_then(|p| p.get("message"))
    {
        Some(Value::String(message)) => message.clone(),
        _ => format!("{answer:?}"),
    }
}

async fn read_back(odoo: &Session, made: Id<G2pCycle>) -> anyhow::Result<()> {
    let row = G2pCycle::repo(odoo)
        .read(&[made])
        .fields((cycle::STATE, cycle::APPROVED_BY))
        .await?;
    let (state, approved_by) = &row[0].1;
    let entitlements = G2pEntitlement::repo(odoo)
        .search_read(entitlement::CYCLE_ID.eq(made))
        .fields((entitlement::STATE, entitlement::INITIAL_AMOUNT))
        .await?;
    let mut by_state = std::collections::BTreeMap::<String, (usize, f64)>::new();
    for (_, (state, amount)) in &entitlements {
        let entry = by_state.entry(format!("{state:?}")).or_default();
        entry.0 += 1;
        entry.1 += amount;
    }
    println!(
        "  cycle {state:?}, approved by {:?}; entitlements {by_state:?}",
        approved_by.as_ref().map(|user| user.id.get())
    );
    Ok(())
}

mod cleanup {
    //! Deleting the program made: OpenSPP refuses to delete an approved cycle or entitlements
    //! past draft, so both are set back to draft first (what an administrator would do over
    //! RPC); then the entitlements, the cycle's and the program's memberships, the cycle, the
    //! program, its managers and its journal.

    use super::*;
    use openspp_client::Args;
    use openspp_models::g2p_program::{self as program_fields};

    const MANAGER_FIELDS: &[&str] = &[
        "eligibility_managers",
        "cycle_managers",
        "entitlement_managers",
        "program_managers",
        "payment_managers",
        "deduplication_managers",
        "notification_managers",
    ];

    async fn ids(odoo: &Session, model: &str, domain: Value) -> anyhow::Result<Vec<i32>> {
        Ok(odoo
            .call(model, "search", Args::new().arg("domain", domain))
            .await?)
    }

    async fn unlink(odoo: &Session, model: &str, ids: &[i32]) -> anyhow::Result<()> {
        if !ids.is_empty() {
            let _: Value = odoo
                .call(model, "unlink", Args::new().ids(ids.to_vec()))
                .await?;
        }
        Ok(())
    }

    pub async fn program(odoo: &Session, program: Id<G2pProgram>) -> anyhow::Result<()> {
        let id = program.get();
        let cycles = G2pCycle::repo(odoo)
            .search(cycle::PROGRAM_ID.eq(program))
            .await?;
        let entitlements = G2pEntitlement::repo(odoo)
            .search(entitlement::CYCLE_ID.is_in(cycles.iter().copied()))
            .await?;
        G2pEntitlement::repo(odoo)
            .write(
                &entitlements,
                entitlement::STATE.set(entitlement::State::Draft),
            )
            .await?;
        G2pEntitlement::repo(odoo).unlink(&entitlements).await?;
        G2pCycle::repo(odoo)
            .write(&cycles, cycle::STATE.set(cycle::State::Draft))
            .await?;
        let cycle_ids: Vec<i32> = cycles.iter().map(|c| c.get()).collect();
        let domain = |field: &str, ids: Vec<i32>| {
            Value::Array(vec![Value::Array(vec![
                field.into(),
                "in".into(),
                Value::Array(ids.into_iter().map(Value::from).collect()),
            ])])
        };
        let members = ids(
            odoo,
            "g2p.cycle.membership",
            domain("cycle_id", cycle_ids.clone()),
        )
        .await?;
        unlink(odoo, "g2p.cycle.membership", &members).await?;
        G2pCycle::repo(odoo).unlink(&cycles).await?;
        let members = ids(
            odoo,
            "g2p.program_membership",
            domain("program_id", vec![id]),
        )
        .await?;
        unlink(odoo, "g2p.program_membership", &members).await?;
        let read: Vec<openspp_client::xmlrpc::Struct> = odoo
            .call(
                "g2p.program",
                "read",
                Args::new()
                    .ids([id])
                    .arg("fields", [&["journal_id"], MANAGER_FIELDS].concat()),
            )
            .await?;
        let fields = &read[0];
        G2pProgram::repo(odoo).unlink(&[program]).await?;
        for field in MANAGER_FIELDS {
            let relation: openspp_client::xmlrpc::Struct = odoo
                .call(
                    "g2p.program",
                    "fields_get",
                    Args::new()
                        .arg("allfields", [field])
                        .kwarg("attributes", ["relation"]),
                )
                .await?;
            let wrapper = relation
                .get(*field)
                .and_then(Value::as_struct)
                .and_then(|f| f.get("relation"))
                .and_then(|r| {
                    if let Value::String(r) = r {
                        Some(r.clone())
                    } else {
                        None
                    }
                })
                .ok_or_else(|| anyhow::anyhow!("g2p.program.{field} has no relation"))?;
            let wrapped: Vec<i32> = match fields.get(*field) {
                Some(Value::Array(ids)) => ids
                    .iter()
                    .filter_map(|v| {
                        if let Value::Int(i) = v {
                            Some(*i)
                        } else {
                            None
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let refs: Vec<openspp_client::xmlrpc::Struct> = odoo
                .call(
                    &wrapper,
                    "read",
                    Args::new()
                        .ids(wrapped.clone())
                        .arg("fields", ["manager_ref_id"]),
                )
                .await?;
            unlink(odoo, &wrapper, &wrapped).await?;
            for reference in refs.iter().filter_map(|r| match r.get("manager_ref_id") {
                Some(Value::String(r)) => r.split_once(','),
                _ => None,
            }) {
                unlink(odoo, reference.0, &[reference.1.parse()?]).await?;
            }
        }
        if let Some(Value::Array(journal)) = fields.get("journal_id") {
            if let Some(Value::Int(journal)) = journal.first() {
                unlink(odoo, "account.journal", &[*journal]).await?;
            }
        }
        let left = G2pProgram::repo(odoo)
            .search_count(program_fields::ID.eq(program))
            .await?;
        println!(
            "deleted program {id}, its cycle, entitlements, memberships, managers and journal; programs left with its id: {left}"
        );
        Ok(())
    }
}
