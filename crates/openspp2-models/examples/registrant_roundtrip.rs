//! A typed create, write, read back and unlink on a real OpenSPP 2 server over JSON-2: an
//! individual registrant with an ID (`spp.registry.id`) and a phone number
//! (`spp.phone.number`), a group, and the individual's membership of it
//! (`spp.group.membership`). Everything it creates is deleted at the end, and checked gone.
//!
//! ```sh
//! export ODOO_API_KEY=...    # an API key of LOGIN
//! cargo run -p openspp2-models --example registrant_roundtrip -- URL DB LOGIN
//! ```
//!
//! An ID needs an ID type: a code of the vocabulary `urn:openspp:vocab:id-type` (what
//! `spp.registry.id` offers). A server without that vocabulary gets one for the run, deleted
//! with the rest.
//!
//! The phone number is created and changed through the individual (`phone_number_ids`
//! commands): OpenSPP 2 overrides `spp.phone.number`'s `create` as `create(self, vals)`, and
//! JSON-2 binds arguments by name against that override, so `create` with `vals_list` (what
//! `/doc-bearer` describes, and what the client sends) is refused there with a 422.

use chrono::NaiveDate;
use openspp_client::{
    Client, Command, Id, Many2one, Protocol, Record, Secret, Session, Values, X2many,
};
use openspp2_models::res_partner::{self, ResPartner};
use openspp2_models::spp_group_membership::{self, SppGroupMembership};
use openspp2_models::spp_phone_number::{self, SppPhoneNumber};
use openspp2_models::spp_registry_id::{self, SppRegistryId};
use openspp2_models::spp_vocabulary::{self, SppVocabulary};
use openspp2_models::spp_vocabulary_code::{self, SppVocabularyCode};

const ID_TYPES: &str = "urn:openspp:vocab:id-type";

/// An individual as read back: its IDs, phone numbers and groups.
#[derive(Debug, Record)]
#[record(model = ResPartner)]
struct Individual {
    name: String,
    given_name: Option<String>,
    family_name: Option<String>,
    is_registrant: bool,
    is_group: bool,
    reg_ids: X2many<SppRegistryId>,
    phone_number_ids: X2many<SppPhoneNumber>,
    individual_membership_ids: X2many<SppGroupMembership>,
}

/// A group as read back: its members.
#[derive(Debug, Record)]
#[record(model = ResPartner)]
struct Group {
    name: String,
    is_group: bool,
    group_membership_ids: X2many<SppGroupMembership>,
}

#[derive(Debug, Record)]
#[record(model = SppRegistryId)]
struct RegistryId {
    partner_id: Many2one<ResPartner>,
    id_type_id: Many2one<SppVocabularyCode>,
    value: Option<String>,
}

#[derive(Debug, Record)]
#[record(model = SppPhoneNumber)]
struct Phone {
    partner_id: Many2one<ResPartner>,
    phone_no: String,
}

#[derive(Debug, Record)]
#[record(model = SppGroupMembership)]
struct Membership {
    group: Many2one<ResPartner>,
    individual: Many2one<ResPartner>,
    start_date: Option<chrono::NaiveDateTime>,
}

/// What the run created, deleted in reverse order whatever happens.
#[derive(Default)]
struct Created {
    vocabulary: Option<Id<SppVocabulary>>,
    id_type: Option<Id<SppVocabularyCode>>,
    partners: Vec<Id<ResPartner>>,
    registry_ids: Vec<Id<SppRegistryId>>,
    phones: Vec<Id<SppPhoneNumber>>,
    memberships: Vec<Id<SppGroupMembership>>,
}

impl Created {
    async fn delete(&self, odoo: &Session) -> Result<(), openspp_client::Error> {
        odoo.repo::<SppGroupMembership>()
            .unlink(&self.memberships)
            .await?;
        odoo.repo::<SppPhoneNumber>().unlink(&self.phones).await?;
        odoo.repo::<SppRegistryId>()
            .unlink(&self.registry_ids)
            .await?;
        odoo.repo::<ResPartner>().unlink(&self.partners).await?;
        if let Some(code) = self.id_type {
            odoo.repo::<SppVocabularyCode>().unlink(&[code]).await?;
        }
        if let Some(vocabulary) = self.vocabulary {
            odoo.repo::<SppVocabulary>().unlink(&[vocabulary]).await?;
        }
        Ok(())
    }

    /// Whether any of it is still on the server.
    async fn left(&self, odoo: &Session) -> Result<u64, openspp_client::Error> {
        let partners = odoo
            .repo::<ResPartner>()
            .search_count(res_partner::ID.is_in(self.partners.clone()))
            .await?;
        let memberships = odoo
            .repo::<SppGroupMembership>()
            .search_count(spp_group_membership::ID.is_in(self.memberships.clone()))
            .await?;
        let ids = odoo
            .repo::<SppRegistryId>()
            .search_count(spp_registry_id::ID.is_in(self.registry_ids.clone()))
            .await?;
        let phones = odoo
            .repo::<SppPhoneNumber>()
            .search_count(spp_phone_number::ID.is_in(self.phones.clone()))
            .await?;
        let codes = odoo
            .repo::<SppVocabularyCode>()
            .search_count(spp_vocabulary_code::ID.is_in(self.id_type))
            .await?;
        let vocabularies = odoo
            .repo::<SppVocabulary>()
            .search_count(spp_vocabulary::ID.is_in(self.vocabulary))
            .await?;
        Ok(partners + memberships + ids + phones + codes + vocabularies)
    }
}

async fn run(odoo: &Session, created: &mut Created) -> Result<(), Box<dyn std::error::Error>> {
    let codes = odoo.repo::<SppVocabularyCode>();
    let vocabulary = match odoo
        .repo::<SppVocabulary>()
        .search(spp_vocabulary::NAMESPACE_URI.eq(ID_TYPES))
        .limit(1)
        .await?
        .first()
    {
        Some(id) => *id,
        None => {
            let id = odoo
                .repo::<SppVocabulary>()
                .create(SppVocabulary::create("ID Types", ID_TYPES))
                .await?;
            created.vocabulary = Some(id);
            id
        }
    };
    let id_type = codes
        .create(SppVocabularyCode::create(
            "openspp-rs-roundtrip",
            "Roundtrip test ID",
            vocabulary,
        ))
        .await?;
    created.id_type = Some(id_type);

    let partners = odoo.repo::<ResPartner>();
    let phone_number = Values::<SppPhoneNumber>::new().set(spp_phone_number::PHONE_NO, "+15550100");
    let individual = partners
        .create(
            ResPartner::create()
                .set(res_partner::NAME, "DIALLO, Amina (openspp-rs roundtrip)")
                .set(res_partner::GIVEN_NAME, "Amina")
                .set(res_partner::FAMILY_NAME, "Diallo")
                .set(res_partner::IS_REGISTRANT, true)
                .set(res_partner::IS_GROUP, false)
                .set(
                    res_partner::PHONE_NUMBER_IDS,
                    [Command::Create(phone_number)],
                ),
        )
        .await?;
    created.partners.push(individual);
    let group = partners
        .create(
            ResPartner::create()
                .set(res_partner::NAME, "Diallo household (openspp-rs roundtrip)")
                .set(res_partner::IS_REGISTRANT, true)
                .set(res_partner::IS_GROUP, true),
        )
        .await?;
    created.partners.push(group);
    let registry_id = odoo
        .repo::<SppRegistryId>()
        .create(SppRegistryId::create(id_type, individual).set(spp_registry_id::VALUE, "RT-0001"))
        .await?;
    created.registry_ids.push(registry_id);
    let phones = partners
        .read(&[individual])
        .fields(res_partner::PHONE_NUMBER_IDS)
        .await?;
    let [phone] = phones
        .first()
        .map(|(_, ids)| ids.as_slice())
        .unwrap_or_default()
    else {
        return Err(format!("the individual has phone numbers {phones:?}, not one").into());
    };
    let phone = *phone;
    created.phones.push(phone);
    let memberships = odoo.repo::<SppGroupMembership>();
    let membership = memberships
        .create(SppGroupMembership::create(group, individual))
        .await?;
    created.memberships.push(membership);
    println!(
        "created: individual {individual}, group {group}, ID {registry_id}, phone {phone}, membership {membership}"
    );

    let [person] = &partners.read(&[individual]).records::<Individual>().await?[..] else {
        return Err("the individual reads as no record".into());
    };
    println!("read back: {person:?}");
    assert!(person.is_registrant && !person.is_group && person.name.starts_with("DIALLO, Amina"));
    assert_eq!(person.reg_ids.ids, [registry_id]);
    assert_eq!(person.phone_number_ids.ids, [phone]);
    assert_eq!(person.individual_membership_ids.ids, [membership]);
    let [household] = &partners.read(&[group]).records::<Group>().await?[..] else {
        return Err("the group reads as no record".into());
    };
    println!("read back: {household:?}");
    assert!(household.is_group && household.name.starts_with("Diallo household"));
    assert_eq!(household.group_membership_ids.ids, [membership]);
    let [id_read] = &odoo
        .repo::<SppRegistryId>()
        .read(&[registry_id])
        .records::<RegistryId>()
        .await?[..]
    else {
        return Err("the ID reads as no record".into());
    };
    println!("read back: {id_read:?}");
    assert_eq!(
        (id_read.partner_id.id, id_read.id_type_id.id),
        (individual, id_type)
    );
    assert_eq!(id_read.value.as_deref(), Some("RT-0001"));
    let [phone_read] = &odoo
        .repo::<SppPhoneNumber>()
        .read(&[phone])
        .records::<Phone>()
        .await?[..]
    else {
        return Err("the phone number reads as no record".into());
    };
    println!("read back: {phone_read:?}");
    assert_eq!(phone_read.partner_id.id, individual);
    let [link] = &memberships
        .read(&[membership])
        .records::<Membership>()
        .await?[..]
    else {
        return Err("the membership reads as no record".into());
    };
    println!("read back: {link:?}");
    assert_eq!((link.group.id, link.individual.id), (group, individual));

    partners
        .write(
            &[individual],
            res_partner::GIVEN_NAME
                .set("Aminata")
                .set(res_partner::NAME, "DIALLO, Aminata (openspp-rs roundtrip)"),
        )
        .await?;
    odoo.repo::<SppRegistryId>()
        .write(&[registry_id], spp_registry_id::VALUE.set("RT-0002"))
        .await?;
    let new_number = Values::<SppPhoneNumber>::new().set(spp_phone_number::PHONE_NO, "+15550199");
    partners
        .write(
            &[individual],
            res_partner::PHONE_NUMBER_IDS.set([Command::Update(phone, new_number)]),
        )
        .await?;
    let start = NaiveDate::from_ymd_opt(2026, 1, 15)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .ok_or("a valid date")?;
    memberships
        .write(&[membership], spp_group_membership::START_DATE.set(start))
        .await?;
    let person = partners.read(&[individual]).records::<Individual>().await?;
    let id_read = odoo
        .repo::<SppRegistryId>()
        .read(&[registry_id])
        .records::<RegistryId>()
        .await?;
    let phone_read = odoo
        .repo::<SppPhoneNumber>()
        .read(&[phone])
        .records::<Phone>()
        .await?;
    let link = memberships
        .read(&[membership])
        .records::<Membership>()
        .await?;
    println!("after write: {person:?}\n  {id_read:?}\n  {phone_read:?}\n  {link:?}");
    assert_eq!(person[0].given_name.as_deref(), Some("Aminata"));
    assert_eq!(person[0].family_name.as_deref(), Some("Diallo"));
    assert_eq!(id_read[0].value.as_deref(), Some("RT-0002"));
    assert_eq!(link[0].start_date, Some(start));
    assert!(
        phone_read[0].phone_no.ends_with("5550199"),
        "{:?}",
        phone_read[0]
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, db, login] = args.as_slice() else {
        return Err("usage: registrant_roundtrip URL DB LOGIN (API key in ODOO_API_KEY)".into());
    };
    let key = std::env::var("ODOO_API_KEY").map_err(|_| "set ODOO_API_KEY to LOGIN's API key")?;
    let odoo = Client::new(url, db)?
        .login(login, Secret::api_key(key))
        .await?;
    println!("logged in over {:?}", odoo.protocol());
    assert_eq!(odoo.protocol(), Protocol::Json2);
    let mut created = Created::default();
    let outcome = run(&odoo, &mut created).await;
    created.delete(&odoo).await?;
    let left = created.left(&odoo).await?;
    println!("deleted; records left: {left}");
    outcome?;
    if left > 0 {
        return Err(format!("{left} records are still there").into());
    }
    Ok(())
}
