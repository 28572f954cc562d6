//! Typed reads of every OpenSPP 2 model that has records, printed as JSON lines for
//! `typed_reads_check.py` to compare value by value with Python's raw JSON-2 `read` of the same
//! records and fields.
//!
//! Each model is read through its generated type (`Model::NAME`, and `Model::FIELDS` with every
//! addon's feature on), each field decoded by the client's typed decoding into the value type
//! `openspp-codegen` gives that field's generated constant (`openspp_codegen::types::value_type`
//! on the field's schema: `Option<String>`, `Option<Many2one<_>>`, a selection's key...), then
//! printed back in the shape Odoo sends it (`false` for empty, `[id, name]` for a many2one), so
//! that any value the typed path loses or changes is a mismatch.
//!
//! ```sh
//! export ODOO_API_KEY=...    # an API key of LOGIN
//! cargo run -p openspp2-models --all-features --example typed_reads -- URL DB LOGIN [LIMIT] > rust.jsonl
//! python3 crates/openspp2-models/examples/typed_reads_check.py URL DB rust.jsonl
//! ```
//!
//! LIMIT (default 50) is the most records read per model, the first by id. The model list below
//! is checked against `schemas-openspp2/` at start: a model missing from either fails the run.

use chrono::{NaiveDate, NaiveDateTime};
use openspp_client::xmlrpc::{Struct, Value};
use openspp_client::{
    Binary, Client, Field, FieldSet, FieldType, Id, Many2one, Model, Reference, Secret, Selection,
    SelectionEnum, X2many,
};
use openspp_codegen::types::{ValueType, value_type};
use openspp_schema::{FieldSchema, SchemaSet};
use serde_json::{Value as Json, json};
use std::collections::BTreeSet;

/// The target of a relation: only its id and display name are read.
#[derive(Debug, Clone, Copy)]
struct Target;
impl Model for Target {
    const NAME: &'static str = "target";
    const FIELDS: &'static [&'static str] = &[];
    const REQUIRED: &'static [&'static str] = &[];
}

/// A selection's key as the generated enum keeps it (unknown keys included).
#[derive(Debug, Clone)]
struct Key(String);
impl SelectionEnum for Key {
    const KEYS: &'static [&'static str] = &[];
    fn from_key(key: &str) -> Self {
        Key(key.to_owned())
    }
    fn key(&self) -> &str {
        &self.0
    }
}

type Take = Box<dyn Fn(&mut Struct) -> Result<Json, (String, String)> + Send + Sync>;

/// Every field of a model, each decoded by its generated type and printed as Odoo sends it.
struct EveryField<M> {
    names: Vec<&'static str>,
    takes: Vec<Take>,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> FieldSet<M> for EveryField<M> {
    type Row = Vec<Json>;
    fn push_names(&self, out: &mut Vec<&'static str>) {
        out.extend(&self.names);
    }
    fn take(&self, record: &mut Struct) -> Result<Vec<Json>, (String, String)> {
        self.takes.iter().map(|take| take(record)).collect()
    }
}

/// A typed read's value in the shape Odoo sends it.
trait AsOdoo {
    fn as_odoo(&self) -> Json;
}

impl<T: AsOdoo> AsOdoo for Option<T> {
    fn as_odoo(&self) -> Json {
        self.as_ref().map_or(Json::Bool(false), AsOdoo::as_odoo)
    }
}
impl AsOdoo for bool {
    fn as_odoo(&self) -> Json {
        json!(self)
    }
}
impl AsOdoo for i32 {
    fn as_odoo(&self) -> Json {
        json!(self)
    }
}
impl AsOdoo for f64 {
    fn as_odoo(&self) -> Json {
        json!(self)
    }
}
impl AsOdoo for String {
    fn as_odoo(&self) -> Json {
        json!(self)
    }
}
impl AsOdoo for NaiveDate {
    fn as_odoo(&self) -> Json {
        json!(self.format("%Y-%m-%d").to_string())
    }
}
impl AsOdoo for NaiveDateTime {
    fn as_odoo(&self) -> Json {
        json!(self.format("%Y-%m-%d %H:%M:%S").to_string())
    }
}
impl AsOdoo for Binary {
    fn as_odoo(&self) -> Json {
        json!(self.as_base64())
    }
}
impl AsOdoo for Reference {
    fn as_odoo(&self) -> Json {
        json!(format!("{},{}", self.model, self.id))
    }
}
impl AsOdoo for Key {
    fn as_odoo(&self) -> Json {
        json!(self.0)
    }
}
impl<R> AsOdoo for Id<R> {
    fn as_odoo(&self) -> Json {
        json!(self.get())
    }
}
impl<R> AsOdoo for Many2one<R> {
    fn as_odoo(&self) -> Json {
        json!([
            self.id.get(),
            self.name.as_ref().map_or(Json::Bool(false), |n| json!(n))
        ])
    }
}
impl<R> AsOdoo for Vec<Id<R>> {
    fn as_odoo(&self) -> Json {
        Json::Array(self.iter().map(AsOdoo::as_odoo).collect())
    }
}
impl AsOdoo for Value {
    fn as_odoo(&self) -> Json {
        match self {
            Value::Int(n) => json!(n),
            Value::I8(n) => json!(n),
            Value::Bool(b) => json!(b),
            Value::Double(x) => json!(x),
            Value::String(s) => json!(s),
            Value::DateTime(d) => json!(d.to_string()),
            Value::Base64(bytes) => json!(Binary::from_bytes(bytes).as_base64()),
            Value::Nil => Json::Null,
            Value::Array(items) => Json::Array(items.iter().map(AsOdoo::as_odoo).collect()),
            Value::Struct(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.to_string(), v.as_odoo()))
                    .collect(),
            ),
        }
    }
}

/// Decodes `name` as a `Field<M, T>` constant would.
fn take<M: Model, T: FieldType>(name: &'static str) -> Take
where
    T::Read: AsOdoo + Send + 'static,
{
    let field: Field<M, T> = Field::new(name);
    Box::new(move |record| FieldSet::<M>::take(&field, record).map(|value| value.as_odoo()))
}

/// The generated value type of `schema` (codegen's own mapping, as its `resolve` applies it:
/// a malformed option list is not trusted, a relation outside the set is raw), as a decoder.
fn column<M: Model>(name: &'static str, schema: &FieldSchema, schemas: &SchemaSet) -> Take {
    let options = schema
        .selection()
        .map(|opts| opts.iter().map(|o| (o.value, o.label)).collect::<Vec<_>>());
    let options = match (&options, schema.attribute("selection")) {
        (Some(opts), Some(Json::Array(raw))) if opts.len() != raw.len() => None,
        _ => options,
    };
    match value_type(name, schema.field_type(), schema.relation(), options) {
        ValueType::Many2one(target) | ValueType::X2many(target)
            if !schemas.models.contains_key(&target) =>
        {
            take::<M, Value>(name)
        }
        ValueType::Id => take::<M, Id<M>>(name),
        ValueType::Bool => take::<M, bool>(name),
        ValueType::Int => take::<M, i32>(name),
        ValueType::Float => take::<M, f64>(name),
        ValueType::Text => take::<M, String>(name),
        ValueType::Date => take::<M, NaiveDate>(name),
        ValueType::DateTime => take::<M, NaiveDateTime>(name),
        ValueType::Binary => take::<M, Binary>(name),
        ValueType::Selection(_) => take::<M, Selection<Key>>(name),
        ValueType::Many2one(_) => take::<M, Many2one<Target>>(name),
        ValueType::X2many(_) => take::<M, X2many<Target>>(name),
        ValueType::Reference => take::<M, Reference>(name),
        ValueType::Raw(_) => take::<M, Value>(name),
    }
}

/// What reading one model gave.
#[derive(Default)]
struct Outcome {
    /// Values read and printed.
    values: usize,
    /// Fields whose answer the typed decoding refused: `(field, error)`.
    undecoded: Vec<(String, String)>,
    /// Fields the server fails to read (the raw read fails alike): `(field, error)`.
    server_failed: Vec<(String, String)>,
}

/// Reads `names` of `ids` in one call, each field decoded as its generated type.
async fn read_fields<M: Model>(
    odoo: &openspp_client::Session,
    schemas: &SchemaSet,
    ids: &[Id<M>],
    names: &[&'static str],
) -> Result<Vec<(Id<M>, Vec<Json>)>, openspp_client::Error> {
    let schema = &schemas.models[M::NAME];
    let takes = names
        .iter()
        .map(|name| column::<M>(name, &schema.fields[*name], schemas))
        .collect();
    let fields = EveryField::<M> {
        names: names.to_vec(),
        takes,
        model: std::marker::PhantomData,
    };
    odoo.repo::<M>().read(ids).fields(fields).await
}

/// Reads up to `limit` records of `M` with every field and prints one JSON line per record.
/// When the read of every field at once fails, each field is read alone, to name the fields
/// that fail and compare the others.
async fn read_model<M: Model>(
    odoo: &openspp_client::Session,
    schemas: &SchemaSet,
    limit: usize,
) -> Result<Outcome, openspp_client::Error> {
    let ids = match odoo
        .repo::<M>()
        .search(openspp_client::Domain::all())
        .limit(limit)
        .await
    {
        Ok(ids) => ids,
        // The models a user may not read (mixins, wizards without an access rule) have no
        // records to compare.
        Err(openspp_client::Error::Fault(fault))
            if fault.kind == openspp_client::FaultKind::AccessError =>
        {
            return Ok(Outcome::default());
        }
        Err(e) => return Err(e),
    };
    let mut outcome = Outcome::default();
    if ids.is_empty() {
        return Ok(outcome);
    }
    // `id` is each row's `Id<M>`, which the read decodes first.
    let names: Vec<&'static str> = M::FIELDS.iter().copied().filter(|n| *n != "id").collect();
    let mut rows: Vec<(Id<M>, serde_json::Map<String, Json>)> =
        ids.iter().map(|id| (*id, serde_json::Map::new())).collect();
    let mut keep = |read: Vec<(Id<M>, Vec<Json>)>, names: &[&'static str]| {
        for ((_, values), (_, row)) in read.into_iter().zip(rows.iter_mut()) {
            row.extend(names.iter().map(|n| n.to_string()).zip(values));
        }
    };
    match read_fields(odoo, schemas, &ids, &names).await {
        Ok(read) => keep(read, &names),
        Err(_) => {
            for name in &names {
                match read_fields(odoo, schemas, &ids, &[name]).await {
                    Ok(read) => keep(read, &[name]),
                    Err(e @ openspp_client::Error::Protocol { .. }) => {
                        outcome.undecoded.push((name.to_string(), e.to_string()))
                    }
                    Err(e) => outcome
                        .server_failed
                        .push((name.to_string(), e.to_string())),
                }
            }
        }
    }
    for (id, mut values) in rows {
        values.insert("id".to_owned(), id.as_odoo());
        outcome.values += values.len();
        println!(
            "{}",
            json!({"model": M::NAME, "id": id.get(), "values": values})
        );
    }
    Ok(outcome)
}

/// `read_model::<M>` as a function pointer, so that the models are a list, not one state
/// machine of 551 awaits (which takes the compiler minutes).
type ReadModel = for<'a> fn(
    &'a openspp_client::Session,
    &'a SchemaSet,
    usize,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Outcome, openspp_client::Error>> + 'a>,
>;

fn boxed<M: Model>() -> ReadModel {
    |odoo, schemas, limit| Box::pin(read_model::<M>(odoo, schemas, limit))
}

macro_rules! every_model {
    ($($module:ident :: $ty:ident),* $(,)?) => {
        /// Every generated model: its name and its typed read.
        fn model_reads() -> Vec<(&'static str, ReadModel)> {
            vec![$((
                <openspp2_models::$module::$ty as Model>::NAME,
                boxed::<openspp2_models::$module::$ty>(),
            )),*]
        }
    };
}

/// Reads every model; prints what could not be compared, and returns (models with records,
/// values read, fields the typed decoding refused, models or fields the server failed to
/// read).
async fn read_every_model(
    odoo: &openspp_client::Session,
    schemas: &SchemaSet,
    limit: usize,
) -> (usize, usize, usize, usize) {
    let (mut models, mut values, mut undecoded, mut server_failed) = (0, 0, 0, 0);
    for (name, read) in model_reads() {
        match read(odoo, schemas, limit).await {
            Ok(outcome) => {
                if outcome.values > 0 {
                    models += 1;
                    values += outcome.values;
                }
                for (field, error) in &outcome.undecoded {
                    eprintln!("typed decoding refused {name}.{field}: {error}");
                }
                for (field, error) in &outcome.server_failed {
                    eprintln!(
                        "the server fails to read {name}.{field}: {}",
                        first_line(error)
                    );
                }
                undecoded += outcome.undecoded.len();
                server_failed += outcome.server_failed.len();
            }
            Err(e) => {
                eprintln!(
                    "the server fails to search {name}: {}",
                    first_line(&e.to_string())
                );
                server_failed += 1;
            }
        }
    }
    (models, values, undecoded, server_failed)
}

/// An error's first line, at most 300 characters (a server's HTML page or traceback is long).
fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

every_model! {
        account_account::AccountAccount,
        account_account_tag::AccountAccountTag,
        account_accrued_orders_wizard::AccountAccruedOrdersWizard,
        account_analytic_account::AccountAnalyticAccount,
        account_analytic_applicability::AccountAnalyticApplicability,
        account_analytic_distribution_model::AccountAnalyticDistributionModel,
        account_analytic_line::AccountAnalyticLine,
        account_analytic_plan::AccountAnalyticPlan,
        account_automatic_entry_wizard::AccountAutomaticEntryWizard,
        account_autopost_bills_wizard::AccountAutopostBillsWizard,
        account_bank_statement::AccountBankStatement,
        account_bank_statement_line::AccountBankStatementLine,
        account_cash_rounding::AccountCashRounding,
        account_chart_template::AccountChartTemplate,
        account_code_mapping::AccountCodeMapping,
        account_document_import_mixin::AccountDocumentImportMixin,
        account_edi_common::AccountEdiCommon,
        account_edi_ubl::AccountEdiUbl,
        account_edi_xml_cii::AccountEdiXmlCii,
        account_edi_xml_ubl_20::AccountEdiXmlUbl20,
        account_edi_xml_ubl_21::AccountEdiXmlUbl21,
        account_edi_xml_ubl_a_nz::AccountEdiXmlUblANz,
        account_edi_xml_ubl_bis3::AccountEdiXmlUblBis3,
        account_edi_xml_ubl_de::AccountEdiXmlUblDe,
        account_edi_xml_ubl_efff::AccountEdiXmlUblEfff,
        account_edi_xml_ubl_nl::AccountEdiXmlUblNl,
        account_edi_xml_ubl_sg::AccountEdiXmlUblSg,
        account_financial_year_op::AccountFinancialYearOp,
        account_fiscal_position::AccountFiscalPosition,
        account_fiscal_position_account::AccountFiscalPositionAccount,
        account_full_reconcile::AccountFullReconcile,
        account_group::AccountGroup,
        account_incoterms::AccountIncoterms,
        account_invoice_report::AccountInvoiceReport,
        account_journal::AccountJournal,
        account_journal_group::AccountJournalGroup,
        account_lock_exception::AccountLockException,
        account_merge_wizard::AccountMergeWizard,
        account_merge_wizard_line::AccountMergeWizardLine,
        account_move::AccountMove,
        account_move_line::AccountMoveLine,
        account_move_reversal::AccountMoveReversal,
        account_move_send::AccountMoveSend,
        account_move_send_batch_wizard::AccountMoveSendBatchWizard,
        account_move_send_wizard::AccountMoveSendWizard,
        account_partial_reconcile::AccountPartialReconcile,
        account_payment::AccountPayment,
        account_payment_method::AccountPaymentMethod,
        account_payment_method_line::AccountPaymentMethodLine,
        account_payment_register::AccountPaymentRegister,
        account_payment_term::AccountPaymentTerm,
        account_payment_term_line::AccountPaymentTermLine,
        account_reconcile_model::AccountReconcileModel,
        account_reconcile_model_line::AccountReconcileModelLine,
        account_report::AccountReport,
        account_report_column::AccountReportColumn,
        account_report_expression::AccountReportExpression,
        account_report_external_value::AccountReportExternalValue,
        account_report_line::AccountReportLine,
        account_resequence_wizard::AccountResequenceWizard,
        account_root::AccountRoot,
        account_secure_entries_wizard::AccountSecureEntriesWizard,
        account_setup_bank_manual_config::AccountSetupBankManualConfig,
        account_tax::AccountTax,
        account_tax_group::AccountTaxGroup,
        account_tax_repartition_line::AccountTaxRepartitionLine,
        analytic_mixin::AnalyticMixin,
        analytic_plan_fields_mixin::AnalyticPlanFieldsMixin,
        auth_passkey_key::AuthPasskeyKey,
        auth_passkey_key_create::AuthPasskeyKeyCreate,
        auth_totp_device::AuthTotpDevice,
        auth_totp_rate_limit_log::AuthTotpRateLimitLog,
        auth_totp_wizard::AuthTotpWizard,
        avatar_mixin::AvatarMixin,
        barcode_nomenclature::BarcodeNomenclature,
        barcode_rule::BarcodeRule,
        barcodes_barcode_events_mixin::BarcodesBarcodeEventsMixin,
        base::Base,
        base_document_layout::BaseDocumentLayout,
        base_enable_profiling_wizard::BaseEnableProfilingWizard,
        base_import_import::BaseImportImport,
        base_import_mapping::BaseImportMapping,
        base_import_module::BaseImportModule,
        base_language_export::BaseLanguageExport,
        base_language_import::BaseLanguageImport,
        base_language_install::BaseLanguageInstall,
        base_module_install_request::BaseModuleInstallRequest,
        base_module_install_review::BaseModuleInstallReview,
        base_module_uninstall::BaseModuleUninstall,
        base_module_update::BaseModuleUpdate,
        base_module_upgrade::BaseModuleUpgrade,
        base_partner_merge_automatic_wizard::BasePartnerMergeAutomaticWizard,
        base_partner_merge_line::BasePartnerMergeLine,
        bus_bus::BusBus,
        bus_listener_mixin::BusListenerMixin,
        calendar_alarm::CalendarAlarm,
        calendar_alarm_manager::CalendarAlarmManager,
        calendar_attendee::CalendarAttendee,
        calendar_event::CalendarEvent,
        calendar_event_type::CalendarEventType,
        calendar_filters::CalendarFilters,
        calendar_popover_delete_wizard::CalendarPopoverDeleteWizard,
        calendar_provider_config::CalendarProviderConfig,
        calendar_recurrence::CalendarRecurrence,
        change_password_own::ChangePasswordOwn,
        change_password_user::ChangePasswordUser,
        change_password_wizard::ChangePasswordWizard,
        confirm_stock_sms::ConfirmStockSms,
        decimal_precision::DecimalPrecision,
        digest_digest::DigestDigest,
        digest_tip::DigestTip,
        discuss_call_history::DiscussCallHistory,
        discuss_channel::DiscussChannel,
        discuss_channel_member::DiscussChannelMember,
        discuss_channel_rtc_session::DiscussChannelRtcSession,
        discuss_gif_favorite::DiscussGifFavorite,
        discuss_voice_metadata::DiscussVoiceMetadata,
        fetchmail_server::FetchmailServer,
        format_address_mixin::FormatAddressMixin,
        format_vat_label_mixin::FormatVatLabelMixin,
        google_gmail_mixin::GoogleGmailMixin,
        html_editor_converter_test::HtmlEditorConverterTest,
        html_editor_converter_test_sub::HtmlEditorConverterTestSub,
        html_field_history_mixin::HtmlFieldHistoryMixin,
        iap_account::IapAccount,
        iap_autocomplete_api::IapAutocompleteApi,
        iap_enrich_api::IapEnrichApi,
        iap_service::IapService,
        image_mixin::ImageMixin,
        ir_actions_act_url::IrActionsActUrl,
        ir_actions_act_window::IrActionsActWindow,
        ir_actions_act_window_close::IrActionsActWindowClose,
        ir_actions_act_window_view::IrActionsActWindowView,
        ir_actions_actions::IrActionsActions,
        ir_actions_client::IrActionsClient,
        ir_actions_report::IrActionsReport,
        ir_actions_server::IrActionsServer,
        ir_actions_server_history::IrActionsServerHistory,
        ir_actions_todo::IrActionsTodo,
        ir_asset::IrAsset,
        ir_attachment::IrAttachment,
        ir_autovacuum::IrAutovacuum,
        ir_binary::IrBinary,
        ir_config_parameter::IrConfigParameter,
        ir_cron::IrCron,
        ir_cron_progress::IrCronProgress,
        ir_cron_trigger::IrCronTrigger,
        ir_default::IrDefault,
        ir_demo::IrDemo,
        ir_demo_failure::IrDemoFailure,
        ir_demo_failure_wizard::IrDemoFailureWizard,
        ir_embedded_actions::IrEmbeddedActions,
        ir_exports::IrExports,
        ir_exports_line::IrExportsLine,
        ir_fields_converter::IrFieldsConverter,
        ir_filters::IrFilters,
        ir_http::IrHttp,
        ir_logging::IrLogging,
        ir_mail_server::IrMailServer,
        ir_model::IrModel,
        ir_model_access::IrModelAccess,
        ir_model_constraint::IrModelConstraint,
        ir_model_data::IrModelData,
        ir_model_fields::IrModelFields,
        ir_model_fields_selection::IrModelFieldsSelection,
        ir_model_inherit::IrModelInherit,
        ir_model_relation::IrModelRelation,
        ir_module_category::IrModuleCategory,
        ir_module_module::IrModuleModule,
        ir_module_module_dependency::IrModuleModuleDependency,
        ir_module_module_exclusion::IrModuleModuleExclusion,
        ir_profile::IrProfile,
        ir_qweb::IrQweb,
        ir_qweb_field::IrQwebField,
        ir_qweb_field_barcode::IrQwebFieldBarcode,
        ir_qweb_field_contact::IrQwebFieldContact,
        ir_qweb_field_date::IrQwebFieldDate,
        ir_qweb_field_datetime::IrQwebFieldDatetime,
        ir_qweb_field_duration::IrQwebFieldDuration,
        ir_qweb_field_float::IrQwebFieldFloat,
        ir_qweb_field_float_time::IrQwebFieldFloatTime,
        ir_qweb_field_html::IrQwebFieldHtml,
        ir_qweb_field_image::IrQwebFieldImage,
        ir_qweb_field_image_url::IrQwebFieldImageUrl,
        ir_qweb_field_integer::IrQwebFieldInteger,
        ir_qweb_field_many2many::IrQwebFieldMany2many,
        ir_qweb_field_many2one::IrQwebFieldMany2one,
        ir_qweb_field_monetary::IrQwebFieldMonetary,
        ir_qweb_field_one2many::IrQwebFieldOne2many,
        ir_qweb_field_qweb::IrQwebFieldQweb,
        ir_qweb_field_relative::IrQwebFieldRelative,
        ir_qweb_field_selection::IrQwebFieldSelection,
        ir_qweb_field_text::IrQwebFieldText,
        ir_qweb_field_time::IrQwebFieldTime,
        ir_rule::IrRule,
        ir_sequence::IrSequence,
        ir_sequence_date_range::IrSequenceDateRange,
        ir_ui_menu::IrUiMenu,
        ir_ui_view::IrUiView,
        ir_ui_view_custom::IrUiViewCustom,
        ir_websocket::IrWebsocket,
        kpi_provider::KpiProvider,
        lot_label_layout::LotLabelLayout,
        mail_activity::MailActivity,
        mail_activity_mixin::MailActivityMixin,
        mail_activity_plan::MailActivityPlan,
        mail_activity_plan_template::MailActivityPlanTemplate,
        mail_activity_schedule::MailActivitySchedule,
        mail_activity_schedule_line::MailActivityScheduleLine,
        mail_activity_type::MailActivityType,
        mail_alias::MailAlias,
        mail_alias_domain::MailAliasDomain,
        mail_alias_mixin::MailAliasMixin,
        mail_alias_mixin_optional::MailAliasMixinOptional,
        mail_blacklist::MailBlacklist,
        mail_blacklist_remove::MailBlacklistRemove,
        mail_bot::MailBot,
        mail_canned_response::MailCannedResponse,
        mail_compose_message::MailComposeMessage,
        mail_composer_mixin::MailComposerMixin,
        mail_followers::MailFollowers,
        mail_followers_edit::MailFollowersEdit,
        mail_gateway_allowed::MailGatewayAllowed,
        mail_guest::MailGuest,
        mail_ice_server::MailIceServer,
        mail_link_preview::MailLinkPreview,
        mail_mail::MailMail,
        mail_message::MailMessage,
        mail_message_link_preview::MailMessageLinkPreview,
        mail_message_reaction::MailMessageReaction,
        mail_message_schedule::MailMessageSchedule,
        mail_message_subtype::MailMessageSubtype,
        mail_message_translation::MailMessageTranslation,
        mail_notification::MailNotification,
        mail_presence::MailPresence,
        mail_push::MailPush,
        mail_push_device::MailPushDevice,
        mail_render_mixin::MailRenderMixin,
        mail_scheduled_message::MailScheduledMessage,
        mail_template::MailTemplate,
        mail_template_preview::MailTemplatePreview,
        mail_template_reset::MailTemplateReset,
        mail_thread::MailThread,
        mail_thread_blacklist::MailThreadBlacklist,
        mail_thread_cc::MailThreadCc,
        mail_thread_main_attachment::MailThreadMainAttachment,
        mail_thread_phone::MailThreadPhone,
        mail_tracking_duration_mixin::MailTrackingDurationMixin,
        mail_tracking_value::MailTrackingValue,
        microsoft_outlook_mixin::MicrosoftOutlookMixin,
        onboarding_onboarding::OnboardingOnboarding,
        onboarding_onboarding_step::OnboardingOnboardingStep,
        onboarding_progress::OnboardingProgress,
        onboarding_progress_step::OnboardingProgressStep,
        payment_capture_wizard::PaymentCaptureWizard,
        payment_link_wizard::PaymentLinkWizard,
        payment_method::PaymentMethod,
        payment_provider::PaymentProvider,
        payment_refund_wizard::PaymentRefundWizard,
        payment_token::PaymentToken,
        payment_transaction::PaymentTransaction,
        phone_blacklist::PhoneBlacklist,
        phone_blacklist_remove::PhoneBlacklistRemove,
        picking_label_type::PickingLabelType,
        portal_mixin::PortalMixin,
        portal_share::PortalShare,
        portal_wizard::PortalWizard,
        portal_wizard_user::PortalWizardUser,
        privacy_log::PrivacyLog,
        privacy_lookup_wizard::PrivacyLookupWizard,
        privacy_lookup_wizard_line::PrivacyLookupWizardLine,
        product_attribute::ProductAttribute,
        product_attribute_custom_value::ProductAttributeCustomValue,
        product_attribute_value::ProductAttributeValue,
        product_catalog_mixin::ProductCatalogMixin,
        product_category::ProductCategory,
        product_combo::ProductCombo,
        product_combo_item::ProductComboItem,
        product_document::ProductDocument,
        product_label_layout::ProductLabelLayout,
        product_pricelist::ProductPricelist,
        product_pricelist_item::ProductPricelistItem,
        product_product::ProductProduct,
        product_removal::ProductRemoval,
        product_replenish::ProductReplenish,
        product_supplierinfo::ProductSupplierinfo,
        product_tag::ProductTag,
        product_template::ProductTemplate,
        product_template_attribute_exclusion::ProductTemplateAttributeExclusion,
        product_template_attribute_line::ProductTemplateAttributeLine,
        product_template_attribute_value::ProductTemplateAttributeValue,
        product_uom::ProductUom,
        product_value::ProductValue,
        properties_base_definition::PropertiesBaseDefinition,
        properties_base_definition_mixin::PropertiesBaseDefinitionMixin,
        publisher_warranty_contract::PublisherWarrantyContract,
        queue_job::QueueJob,
        queue_job_channel::QueueJobChannel,
        queue_job_function::QueueJobFunction,
        queue_limit::QueueLimit,
        report_account_report_hash_integrity::ReportAccountReportHashIntegrity,
        report_account_report_invoice::ReportAccountReportInvoice,
        report_account_report_invoice_with_payments::ReportAccountReportInvoiceWithPayments,
        report_base_report_irmodulereference::ReportBaseReportIrmodulereference,
        report_layout::ReportLayout,
        report_paperformat::ReportPaperformat,
        report_product_report_pricelist::ReportProductReportPricelist,
        report_product_report_producttemplatelabel2x7::ReportProductReportProducttemplatelabel2x7,
        report_product_report_producttemplatelabel4x12::ReportProductReportProducttemplatelabel4x12,
        report_product_report_producttemplatelabel4x12noprice::ReportProductReportProducttemplatelabel4x12noprice,
        report_product_report_producttemplatelabel4x7::ReportProductReportProducttemplatelabel4x7,
        report_product_report_producttemplatelabel_dymo::ReportProductReportProducttemplatelabelDymo,
        report_stock_label_lot_template_view::ReportStockLabelLotTemplateView,
        report_stock_label_product_product_view::ReportStockLabelProductProductView,
        report_stock_quantity::ReportStockQuantity,
        report_stock_report_reception::ReportStockReportReception,
        report_stock_report_stock_rule::ReportStockReportStockRule,
        res_bank::ResBank,
        res_company::ResCompany,
        res_config::ResConfig,
        res_config_settings::ResConfigSettings,
        res_country::ResCountry,
        res_country_group::ResCountryGroup,
        res_country_state::ResCountryState,
        res_currency::ResCurrency,
        res_currency_rate::ResCurrencyRate,
        res_device::ResDevice,
        res_device_log::ResDeviceLog,
        res_groups::ResGroups,
        res_groups_privilege::ResGroupsPrivilege,
        res_lang::ResLang,
        res_partner::ResPartner,
        res_partner_bank::ResPartnerBank,
        res_partner_category::ResPartnerCategory,
        res_partner_industry::ResPartnerIndustry,
        res_role::ResRole,
        res_users::ResUsers,
        res_users_apikeys::ResUsersApikeys,
        res_users_apikeys_description::ResUsersApikeysDescription,
        res_users_apikeys_show::ResUsersApikeysShow,
        res_users_deletion::ResUsersDeletion,
        res_users_identitycheck::ResUsersIdentitycheck,
        res_users_log::ResUsersLog,
        res_users_role::ResUsersRole,
        res_users_role_line::ResUsersRoleLine,
        res_users_settings::ResUsersSettings,
        res_users_settings_embedded_action::ResUsersSettingsEmbeddedAction,
        res_users_settings_volumes::ResUsersSettingsVolumes,
        reset_view_arch_wizard::ResetViewArchWizard,
        resource_calendar::ResourceCalendar,
        resource_calendar_attendance::ResourceCalendarAttendance,
        resource_calendar_leaves::ResourceCalendarLeaves,
        resource_mixin::ResourceMixin,
        resource_resource::ResourceResource,
        role_add_users_wizard::RoleAddUsersWizard,
        sequence_mixin::SequenceMixin,
        server_action_history_wizard::ServerActionHistoryWizard,
        sms_account_code::SmsAccountCode,
        sms_account_phone::SmsAccountPhone,
        sms_account_sender::SmsAccountSender,
        sms_composer::SmsComposer,
        sms_sms::SmsSms,
        sms_template::SmsTemplate,
        sms_template_preview::SmsTemplatePreview,
        sms_template_reset::SmsTemplateReset,
        sms_tracker::SmsTracker,
        snailmail_letter::SnailmailLetter,
        spp_approval_config::SppApprovalConfig,
        spp_approval_definition::SppApprovalDefinition,
        spp_approval_freeze::SppApprovalFreeze,
        spp_approval_mixin::SppApprovalMixin,
        spp_approval_rejection_wizard::SppApprovalRejectionWizard,
        spp_approval_review::SppApprovalReview,
        spp_approval_revision_wizard::SppApprovalRevisionWizard,
        spp_approval_tier::SppApprovalTier,
        spp_approval_tier_review::SppApprovalTierReview,
        spp_area::SppArea,
        spp_area_import::SppAreaImport,
        spp_area_import_json::SppAreaImportJson,
        spp_area_import_language_wizard::SppAreaImportLanguageWizard,
        spp_area_import_raw::SppAreaImportRaw,
        spp_area_tag::SppAreaTag,
        spp_area_type::SppAreaType,
        spp_assign_payments_batch_wizard::SppAssignPaymentsBatchWizard,
        spp_assign_program_registrants::SppAssignProgramRegistrants,
        spp_assign_program_wizard::SppAssignProgramWizard,
        spp_base_cycle_manager::SppBaseCycleManager,
        spp_base_deduplication_manager::SppBaseDeduplicationManager,
        spp_base_program_entitlement_manager::SppBaseProgramEntitlementManager,
        spp_base_program_manager::SppBaseProgramManager,
        spp_base_program_notification_manager::SppBaseProgramNotificationManager,
        spp_base_program_payment_manager::SppBaseProgramPaymentManager,
        spp_base_programs_manager::SppBaseProgramsManager,
        spp_cel_builder_wizard::SppCelBuilderWizard,
        spp_cel_evaluator::SppCelEvaluator,
        spp_cel_example::SppCelExample,
        spp_cel_executor::SppCelExecutor,
        spp_cel_expression::SppCelExpression,
        spp_cel_function_registry::SppCelFunctionRegistry,
        spp_cel_program_parameter::SppCelProgramParameter,
        spp_cel_registry::SppCelRegistry,
        spp_cel_rule_wizard::SppCelRuleWizard,
        spp_cel_rule_wizard_metric::SppCelRuleWizardMetric,
        spp_cel_service::SppCelService,
        spp_cel_symbol_provider::SppCelSymbolProvider,
        spp_cel_translator::SppCelTranslator,
        spp_cel_variable::SppCelVariable,
        spp_cel_variable_category::SppCelVariableCategory,
        spp_cel_variable_resolver::SppCelVariableResolver,
        spp_cel_widget_demo::SppCelWidgetDemo,
        spp_compliance_manager::SppComplianceManager,
        spp_compliance_manager_base::SppComplianceManagerBase,
        spp_compliance_manager_default::SppComplianceManagerDefault,
        spp_cycle::SppCycle,
        spp_cycle_manager::SppCycleManager,
        spp_cycle_manager_default::SppCycleManagerDefault,
        spp_cycle_membership::SppCycleMembership,
        spp_cycle_recurrence_mixin::SppCycleRecurrenceMixin,
        spp_data_cache_invalidation_mixin::SppDataCacheInvalidationMixin,
        spp_data_cache_manager::SppDataCacheManager,
        spp_data_credential::SppDataCredential,
        spp_data_provider::SppDataProvider,
        spp_data_value::SppDataValue,
        spp_deduplication_manager::SppDeduplicationManager,
        spp_deduplication_manager_default::SppDeduplicationManagerDefault,
        spp_deduplication_manager_id_dedup::SppDeduplicationManagerIdDedup,
        spp_deduplication_manager_phone_number::SppDeduplicationManagerPhoneNumber,
        spp_deployment_profile::SppDeploymentProfile,
        spp_disable_registrant_wizard::SppDisableRegistrantWizard,
        spp_eligibility_manager::SppEligibilityManager,
        spp_entitlement::SppEntitlement,
        spp_entitlement_inkind::SppEntitlementInkind,
        spp_entitlement_inkind_report_wizard::SppEntitlementInkindReportWizard,
        spp_entitlement_reject::SppEntitlementReject,
        spp_entitlement_reset_pending::SppEntitlementResetPending,
        spp_group_membership::SppGroupMembership,
        spp_hide_menu::SppHideMenu,
        spp_id_type::SppIdType,
        spp_inkind_entitlement_reject::SppInkindEntitlementReject,
        spp_job_relate_mixin::SppJobRelateMixin,
        spp_manager_mixin::SppManagerMixin,
        spp_manager_setup_wizard::SppManagerSetupWizard,
        spp_manager_source_mixin::SppManagerSourceMixin,
        spp_multi_entitlement_approval::SppMultiEntitlementApproval,
        spp_multi_entitlement_approval_wizard::SppMultiEntitlementApprovalWizard,
        spp_multi_inkind_entitlement_approval::SppMultiInkindEntitlementApproval,
        spp_multi_inkind_entitlement_approval_wizard::SppMultiInkindEntitlementApprovalWizard,
        spp_payment::SppPayment,
        spp_payment_batch::SppPaymentBatch,
        spp_payment_batch_tag::SppPaymentBatchTag,
        spp_phone_number::SppPhoneNumber,
        spp_phone_validation::SppPhoneValidation,
        spp_prepare_entitlement_confirm_wizard::SppPrepareEntitlementConfirmWizard,
        spp_program::SppProgram,
        spp_program_create_wizard::SppProgramCreateWizard,
        spp_program_create_wizard_entitlement_cash_item::SppProgramCreateWizardEntitlementCashItem,
        spp_program_create_wizard_entitlement_item::SppProgramCreateWizardEntitlementItem,
        spp_program_enrollment_wizard::SppProgramEnrollmentWizard,
        spp_program_entitlement_manager::SppProgramEntitlementManager,
        spp_program_entitlement_manager_cash::SppProgramEntitlementManagerCash,
        spp_program_entitlement_manager_cash_item::SppProgramEntitlementManagerCashItem,
        spp_program_entitlement_manager_default::SppProgramEntitlementManagerDefault,
        spp_program_entitlement_manager_inkind::SppProgramEntitlementManagerInkind,
        spp_program_entitlement_manager_inkind_item::SppProgramEntitlementManagerInkindItem,
        spp_program_fund::SppProgramFund,
        spp_program_fund_report_view::SppProgramFundReportView,
        spp_program_manager::SppProgramManager,
        spp_program_manager_default::SppProgramManagerDefault,
        spp_program_membership::SppProgramMembership,
        spp_program_membership_duplicate::SppProgramMembershipDuplicate,
        spp_program_membership_exit_wizard::SppProgramMembershipExitWizard,
        spp_program_membership_manager::SppProgramMembershipManager,
        spp_program_membership_manager_default::SppProgramMembershipManagerDefault,
        spp_program_membership_manager_id_dedup::SppProgramMembershipManagerIdDedup,
        spp_program_membership_manager_phone_number::SppProgramMembershipManagerPhoneNumber,
        spp_program_notification_manager::SppProgramNotificationManager,
        spp_program_payment_manager::SppProgramPaymentManager,
        spp_program_payment_manager_default::SppProgramPaymentManagerDefault,
        spp_program_settings::SppProgramSettings,
        spp_queue_background_task::SppQueueBackgroundTask,
        spp_refreshable_mixin::SppRefreshableMixin,
        spp_registry_id::SppRegistryId,
        spp_registry_relationship::SppRegistryRelationship,
        spp_reject_entitlement_wizard::SppRejectEntitlementWizard,
        spp_reject_inkind_entitlement_wizard::SppRejectInkindEntitlementWizard,
        spp_relationship::SppRelationship,
        spp_reset_pending_entitlement_wizard::SppResetPendingEntitlementWizard,
        spp_service_point::SppServicePoint,
        spp_vocabulary::SppVocabulary,
        spp_vocabulary_code::SppVocabularyCode,
        spp_vocabulary_concept_group::SppVocabularyConceptGroup,
        spp_vocabulary_mapping::SppVocabularyMapping,
        spp_vocabulary_selection::SppVocabularySelection,
        spreadsheet_dashboard::SpreadsheetDashboard,
        spreadsheet_dashboard_group::SpreadsheetDashboardGroup,
        spreadsheet_dashboard_share::SpreadsheetDashboardShare,
        spreadsheet_mixin::SpreadsheetMixin,
        stock_account_stock_valuation_report::StockAccountStockValuationReport,
        stock_avco_report::StockAvcoReport,
        stock_backorder_confirmation::StockBackorderConfirmation,
        stock_backorder_confirmation_line::StockBackorderConfirmationLine,
        stock_forecasted_product_product::StockForecastedProductProduct,
        stock_forecasted_product_template::StockForecastedProductTemplate,
        stock_inventory_adjustment_name::StockInventoryAdjustmentName,
        stock_inventory_conflict::StockInventoryConflict,
        stock_inventory_warning::StockInventoryWarning,
        stock_location::StockLocation,
        stock_lot::StockLot,
        stock_move::StockMove,
        stock_move_line::StockMoveLine,
        stock_orderpoint_snooze::StockOrderpointSnooze,
        stock_package::StockPackage,
        stock_package_destination::StockPackageDestination,
        stock_package_history::StockPackageHistory,
        stock_package_type::StockPackageType,
        stock_picking::StockPicking,
        stock_picking_type::StockPickingType,
        stock_put_in_pack::StockPutInPack,
        stock_putaway_rule::StockPutawayRule,
        stock_quant::StockQuant,
        stock_quant_relocate::StockQuantRelocate,
        stock_quantity_history::StockQuantityHistory,
        stock_reference::StockReference,
        stock_replenish_mixin::StockReplenishMixin,
        stock_replenishment_info::StockReplenishmentInfo,
        stock_replenishment_option::StockReplenishmentOption,
        stock_request_count::StockRequestCount,
        stock_return_picking::StockReturnPicking,
        stock_return_picking_line::StockReturnPickingLine,
        stock_route::StockRoute,
        stock_rule::StockRule,
        stock_rules_report::StockRulesReport,
        stock_scrap::StockScrap,
        stock_scrap_reason_tag::StockScrapReasonTag,
        stock_storage_category::StockStorageCategory,
        stock_storage_category_capacity::StockStorageCategoryCapacity,
        stock_traceability_report::StockTraceabilityReport,
        stock_warehouse::StockWarehouse,
        stock_warehouse_orderpoint::StockWarehouseOrderpoint,
        stock_warn_insufficient_qty::StockWarnInsufficientQty,
        stock_warn_insufficient_qty_scrap::StockWarnInsufficientQtyScrap,
        template_reset_mixin::TemplateResetMixin,
        unknown::Unknown,
        uom_uom::UomUom,
        update_product_attribute_value::UpdateProductAttributeValue,
        validate_account_move::ValidateAccountMove,
        web_tour_tour::WebTourTour,
        web_tour_tour_step::WebTourTourStep,
        wizard_create_role_from_user::WizardCreateRoleFromUser,
        wizard_groups_into_role::WizardGroupsIntoRole,
        wizard_ir_model_menu_create::WizardIrModelMenuCreate,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, db, login, rest @ ..] = args.as_slice() else {
        return Err("usage: typed_reads URL DB LOGIN [LIMIT] (API key in ODOO_API_KEY)".into());
    };
    let limit: usize = rest.first().map_or(Ok(50), |l| l.parse())?;
    let key = std::env::var("ODOO_API_KEY").map_err(|_| "set ODOO_API_KEY to LOGIN's API key")?;
    let schemas_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas-openspp2");
    let schemas = SchemaSet::load(schemas_dir)?;
    let listed: BTreeSet<&str> = model_reads().iter().map(|(name, _)| *name).collect();
    let dumped: BTreeSet<&str> = schemas.models.keys().map(String::as_str).collect();
    if listed != dumped {
        return Err(format!(
            "the model list differs from schemas-openspp2: only listed {:?}, only dumped {:?}",
            listed.difference(&dumped).collect::<Vec<_>>(),
            dumped.difference(&listed).collect::<Vec<_>>()
        )
        .into());
    }
    let odoo = Client::new(url, db)?
        .login(login, Secret::api_key(key))
        .await?;
    let (models, values, undecoded, server_failed) = read_every_model(&odoo, &schemas, limit).await;
    eprintln!(
        "typed reads: {models} models with records, {values} values; typed decoding refused \
         {undecoded} fields; the server failed {server_failed} reads (fields or searches)"
    );
    if undecoded == 0 {
        Ok(())
    } else {
        Err(format!("typed decoding refused {undecoded} fields").into())
    }
}
