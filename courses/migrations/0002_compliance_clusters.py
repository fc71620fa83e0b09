"""The eight compliance clusters of Better Work assessments, as a managed taxonomy."""

from django.db import migrations

CLUSTERS = [
    ("child-labour", "Child labour", "Minimum age, hazardous work by young workers, age verification."),
    ("discrimination", "Discrimination", "Equal treatment in hiring, pay, promotion and dismissal; harassment."),
    ("forced-labour", "Forced labour", "Freedom to leave, no withheld documents or wages, no coerced overtime."),
    (
        "freedom-of-association",
        "Freedom of association and collective bargaining",
        "Union membership and activity, workers' representation, collective agreements.",
    ),
    ("compensation", "Compensation", "Minimum wage, overtime pay, social security, timely payment."),
    ("contracts-and-hr", "Contracts and human resources", "Contracts, dismissal procedures, dialogue and grievances."),
    (
        "occupational-safety-and-health",
        "Occupational safety and health",
        "Chemicals, emergency preparedness, machine safety, welfare facilities, OSH management.",
    ),
    ("working-time", "Working time", "Regular hours, overtime limits, leave."),
]


def create_clusters(apps, schema_editor):
    ComplianceCluster = apps.get_model("courses", "ComplianceCluster")
    for order, (slug, name, description) in enumerate(CLUSTERS):
        ComplianceCluster.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(create_clusters, migrations.RunPython.noop)]
