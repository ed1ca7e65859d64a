from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "akasse.web.cases"
    label = "cases"
    verbose_name = "Sager"
