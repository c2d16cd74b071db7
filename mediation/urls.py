from django.urls import path

from mediation.views import agreements, documents, files, legal, referrals, work

app_name = "mediation"

urlpatterns = [
    path("", work.home, name="home"),
    path("cases/", work.case_list, name="cases"),
    path("cases/<int:case_id>/open/", files.file_open, name="file-open"),
    path("committees/", work.committees, name="committees"),
    # files
    path("files/", files.file_list, name="files"),
    path("files/<int:file_id>/", files.file_detail, name="file"),
    path("files/<int:file_id>/consent/", files.file_consent, name="file-consent"),
    path("files/<int:file_id>/accept/", files.file_accept, name="file-accept"),
    path("files/<int:file_id>/refuse/", files.file_refuse, name="file-refuse"),
    path("files/<int:file_id>/withdraw/", files.file_withdraw, name="file-withdraw"),
    path("files/<int:file_id>/sessions/", files.file_session, name="file-session"),
    path("files/<int:file_id>/reassign/", files.file_reassign, name="file-reassign"),
    path("files/<int:file_id>/extend/", files.file_extend, name="file-extend"),
    path("files/<int:file_id>/appraisal-start/", files.file_appraisal_start, name="file-appraisal-start"),
    path("files/<int:file_id>/appraisal-end/", files.file_appraisal_end, name="file-appraisal-end"),
    path("files/<int:file_id>/fail/", files.file_fail, name="file-fail"),
    path("files/<int:file_id>/agree/", files.file_agree, name="file-agree"),
    path("files/<int:file_id>/agreement/", documents.agreement_print, name="agreement-print"),
    path("files/<int:file_id>/receipt/", documents.receipt, name="receipt"),
    # after the agreement
    path("terms/<int:term_id>/record/", agreements.term_record, name="term-record"),
    path("agreements/<int:agreement_id>/check/", agreements.agreement_check, name="agreement-check"),
    path("agreements/<int:agreement_id>/confirmation/", agreements.confirmation_apply, name="confirmation-apply"),
    path("confirmations/<int:confirmation_id>/accept/", agreements.confirmation_accept, name="confirmation-accept"),
    path(
        "confirmations/<int:confirmation_id>/not-accept/",
        agreements.confirmation_not_accept,
        name="confirmation-not-accept",
    ),
    path("confirmations/<int:confirmation_id>/extend/", agreements.confirmation_extend, name="confirmation-extend"),
    path("confirmations/<int:confirmation_id>/rule/", agreements.confirmation_rule, name="confirmation-rule"),
    path(
        "confirmations/<int:confirmation_id>/withdraw/", agreements.confirmation_withdraw, name="confirmation-withdraw"
    ),
    # court docking
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/new/", referrals.referral_new, name="referral-new"),
    path("referrals/<int:referral_id>/", referrals.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/sign/", referrals.referral_sign, name="referral-sign"),
    path("referrals/<int:referral_id>/return/", referrals.referral_return, name="referral-return"),
    path("referrals/<int:referral_id>/record/", referrals.referral_record, name="referral-record"),
    path("referrals/<int:referral_id>/filed/", referrals.referral_filed, name="referral-filed"),
    path("referrals/<int:referral_id>/conclude/", referrals.referral_conclude, name="referral-conclude"),
    # legal services
    path("legal/", legal.legal_list, name="legal"),
    path("legal/new/", legal.legal_new, name="legal-new"),
    path("legal/<int:legal_id>/", legal.legal_detail, name="legal-detail"),
    path("legal/<int:legal_id>/accept/", legal.legal_accept, name="legal-accept"),
    path("legal/<int:legal_id>/refuse/", legal.legal_refuse, name="legal-refuse"),
    path("legal/<int:legal_id>/conclude/", legal.legal_conclude, name="legal-conclude"),
    path("legal/<int:legal_id>/withdraw/", legal.legal_withdraw, name="legal-withdraw"),
    path("legal/<int:legal_id>/extend/", legal.legal_extend, name="legal-extend"),
    path("legal/<int:legal_id>/pause/", legal.legal_pause, name="legal-pause"),
    path("legal/<int:legal_id>/resume/", legal.legal_resume, name="legal-resume"),
]
