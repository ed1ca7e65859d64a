"""The case screens' URLs. Members are addressed by their opaque UUID, spells, conversations by their id;
no CPR number or name ever appears in a path or query string (search is POSTed and kept in the session)."""

from django.urls import path

from akasse.web.cases import views

app_name = "cases"
urlpatterns = [
    path("arbejdsliste/", views.worklist, name="worklist"),
    path("medlemmer/<uuid:member_id>/", views.member_page, name="member"),
    path("medlemmer/<uuid:member_id>/cv/", views.edit_cv, name="edit_cv"),
    path("medlemmer/<uuid:member_id>/min-plan/", views.edit_min_plan, name="edit_min_plan"),
    path("forloeb/<int:spell_id>/samtaler/ny/", views.record_conversation, name="record_conversation"),
    path("forloeb/<int:spell_id>/faellessamtale/", views.book_joint, name="book_joint"),
    path("forloeb/<int:spell_id>/visitation/", views.refer, name="refer"),
    path("forloeb/<int:spell_id>/joblog-norm/", views.joblog_norm, name="joblog_norm"),
    path("samtaler/<int:conversation_id>/ret/", views.edit_conversation, name="edit_conversation"),
    path("overdragelse/", views.handover_list, name="handover_list"),
    path("jobcenter/", views.jobcentre_worklist, name="jobcentre_worklist"),
    path("revisionsspor/", views.audit_trail, name="audit_trail"),
    path("monitorering/", views.monitoring, name="monitoring"),
]
