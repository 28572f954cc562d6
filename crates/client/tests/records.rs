//! A many2one whose display name is empty on the server comes as `[id, False]` (seen on the
//! real server in `mail.notification.mail_message_id`, for messages without a subject): it
//! reads as no name, never as `""`, both as a column and in a `#[derive(Record)]` struct.
//! Served over HTTP on 127.0.0.1 in the shape of the captured `search_read` answers.

#[path = "support/replay.rs"]
mod replay;

use openspp_client::{Client, Domain, Id, Many2one, Record};
use replay::{Replay, Reply};

/// `mail.notification`, `mail.message` and `res.partner` in the shape openspp-codegen emits,
/// with the fields the answer below holds (types from `odoo17/fields_get`).
mod models {
    use openspp_client::{Field, Id, Many2one, Model, NotWritable, Searchable, Sortable};

    macro_rules! model {
        ($ty:ident, $name:literal, [$($field:literal),*]) => {
            #[derive(Debug, Clone, Copy)]
            pub struct $ty;
            impl Model for $ty {
                const NAME: &'static str = $name;
                const FIELDS: &'static [&'static str] = &[$($field),*];
                const REQUIRED: &'static [&'static str] = &[];
            }
        };
    }
    model!(MailMessage, "mail.message", ["id"]);
    model!(ResPartner, "res.partner", ["id"]);
    model!(
        MailNotification,
        "mail.notification",
        ["id", "is_read", "mail_message_id", "res_partner_id"]
    );

    pub const ID: Field<MailNotification, Id<MailNotification>, Searchable, Sortable, NotWritable> =
        Field::new("id");
    pub const IS_READ: Field<MailNotification, bool> = Field::new("is_read");
    pub const MAIL_MESSAGE_ID: Field<MailNotification, Many2one<MailMessage>> =
        Field::new("mail_message_id");
    pub const RES_PARTNER_ID: Field<MailNotification, Many2one<ResPartner>> =
        Field::new("res_partner_id");

    /// The generated field macro of `mail.notification`.
    macro_rules! mail_notification_field {
        ("id") => {
            $crate::models::ID
        };
        ("is_read") => {
            $crate::models::IS_READ
        };
        ("mail_message_id") => {
            $crate::models::MAIL_MESSAGE_ID
        };
        ("res_partner_id") => {
            $crate::models::RES_PARTNER_ID
        };
        ($name:literal) => {
            ::core::compile_error!(::core::concat!(
                "`mail.notification` has no field `",
                $name,
                "`"
            ))
        };
    }
    pub(crate) use mail_notification_field as MailNotification;
}

use models::{MailMessage, MailNotification, ResPartner};

/// What Odoo 17 answers to `search_read` of two notifications (Python's `xmlrpc.client`
/// layout, as in the captures): the first message has no display name.
const ANSWER: &str = "<?xml version='1.0'?>
<methodResponse>
<params>
<param>
<value><array><data>
<value><struct>
<member>
<name>id</name>
<value><int>48</int></value>
</member>
<member>
<name>mail_message_id</name>
<value><array><data>
<value><int>231</int></value>
<value><boolean>0</boolean></value>
</data></array></value>
</member>
<member>
<name>res_partner_id</name>
<value><array><data>
<value><int>3</int></value>
<value><string>Mitchell Admin</string></value>
</data></array></value>
</member>
<member>
<name>is_read</name>
<value><boolean>1</boolean></value>
</member>
</struct></value>
<value><struct>
<member>
<name>id</name>
<value><int>49</int></value>
</member>
<member>
<name>mail_message_id</name>
<value><array><data>
<value><int>232</int></value>
<value><string></string></value>
</data></array></value>
</member>
<member>
<name>res_partner_id</name>
<value><array><data>
<value><int>3</int></value>
<value><string>Mitchell Admin</string></value>
</data></array></value>
</member>
<member>
<name>is_read</name>
<value><boolean>0</boolean></value>
</member>
</struct></value>
</data></array></value>
</param>
</params>
</methodResponse>
";

#[derive(Debug, Record)]
#[record(model = MailNotification)]
struct Notification {
    id: Id<MailNotification>,
    mail_message_id: Option<Many2one<MailMessage>>,
    #[record(rename = "res_partner_id")]
    recipient: Many2one<ResPartner>,
    is_read: bool,
}

async fn serve() -> (Replay, openspp_client::Session) {
    let answer = Reply::Xml(ANSWER.as_bytes().to_vec());
    let server = Replay::start(vec![Reply::value(&2), answer]).await;
    let session = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .build()
        .unwrap()
        .login("admin", "admin")
        .await
        .unwrap();
    (server, session)
}

fn message(id: i32, name: Option<&str>) -> Option<Many2one<MailMessage>> {
    Some(Many2one {
        id: Id::new(id),
        name: name.map(str::to_owned),
    })
}

#[tokio::test]
async fn a_many2one_without_display_name_reads_as_no_name_in_columns() {
    let (_server, odoo) = serve().await;
    let rows = odoo
        .repo::<MailNotification>()
        .search_read(Domain::all())
        .fields((models::MAIL_MESSAGE_ID, models::IS_READ))
        .await
        .unwrap();
    assert_eq!(rows[0].1, (message(231, None), true));
    // An empty string is what the server sent, so it stays one.
    assert_eq!(rows[1].1, (message(232, Some("")), false));
}

#[tokio::test]
async fn a_many2one_without_display_name_reads_as_no_name_in_records() {
    let (server, odoo) = serve().await;
    let rows = odoo
        .repo::<MailNotification>()
        .search_read(Domain::all())
        .records::<Notification>()
        .await
        .unwrap();
    assert_eq!(rows[0].id, Id::new(48));
    assert_eq!(rows[0].mail_message_id, message(231, None));
    assert_eq!(rows[1].mail_message_id, message(232, Some("")));
    assert_eq!(rows[0].recipient.name.as_deref(), Some("Mitchell Admin"));
    assert!(rows[0].is_read && !rows[1].is_read);

    // Exactly the struct's fields were requested, by their Odoo names.
    let body = String::from_utf8(server.received()[1].body.clone()).unwrap();
    let fields = body.split("<name>fields</name>").nth(1).unwrap();
    let requested: Vec<&str> = fields
        .split("<string>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(
        requested,
        ["id", "mail_message_id", "res_partner_id", "is_read"]
    );
}
