from django.urls import path

from roundtables import room_views, views

urlpatterns = [
    path("cohorts/<slug:slug>/sessions/", views.cohort_calendar, name="cohort_calendar"),
    path("cohorts/<slug:slug>/sessions/new/", views.roundtable_schedule, name="roundtable_schedule"),
    path("roundtables/<int:session_id>/", room_views.room, name="roundtable_room"),
    path("roundtables/<int:session_id>/details/", views.roundtable_detail, name="roundtable_detail"),
    path("roundtables/<int:session_id>/edit/", views.roundtable_edit, name="roundtable_edit"),
    path("roundtables/<int:session_id>/rsvp/", views.roundtable_rsvp, name="roundtable_rsvp"),
    path("roundtables/<int:session_id>/session.ics", views.roundtable_ics, name="roundtable_ics"),
    path("roundtables/<int:session_id>/materials/", views.roundtable_material_add, name="roundtable_material_add"),
    path(
        "roundtables/<int:session_id>/materials/<int:material_id>/",
        views.roundtable_material,
        name="roundtable_material",
    ),
    path(
        "roundtables/<int:session_id>/materials/<int:material_id>/delete/",
        views.roundtable_material_delete,
        name="roundtable_material_delete",
    ),
    path("roundtables/<int:session_id>/record/", room_views.record, name="roundtable_record"),
    path("roundtables/<int:session_id>/record.md", room_views.record_markdown, name="roundtable_record_markdown"),
    path("roundtables/<int:session_id>/record.csv", room_views.record_csv, name="roundtable_record_csv"),
    path("calendar/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/rotate/", views.calendar_feed_rotate, name="calendar_feed_rotate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
