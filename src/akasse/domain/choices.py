"""Named choices for every status and kind in the trial, with Danish and English labels.

Values are the strings stored in the event tables (docs/data-model.md); never write them bare.
"""

from enum import StrEnum


class Choice(StrEnum):
    """A choice whose members carry a Danish and an English label."""

    @property
    def label_da(self) -> str:
        return _LABELS[type(self), self.value][0]

    @property
    def label_en(self) -> str:
        return _LABELS[type(self), self.value][1]


class Purpose(Choice):
    CV = "cv"
    AVAILABILITY = "availability"
    JOB = "job"
    JOINT = "joint"


class HeldBy(Choice):
    AKASSE = "akasse"
    JOBCENTRE = "jobcentre"
    JOINT = "joint"


class Mode(Choice):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class RequirementStatus(Choice):
    MET = "met"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


class Group(Choice):
    TRIAL = "trial"
    NORMAL = "normal"


class Education(Choice):
    NONE = "none"
    VOCATIONAL = "vocational"
    HIGHER = "higher"


class Sex(Choice):
    FEMALE = "F"
    MALE = "M"


class ExitReason(Choice):
    JOB = "job"
    HANDOVER = "handover"
    REFERRED = "referred"
    MOVED = "moved"
    SWITCHED_AKASSE = "switched_akasse"


class ReferralReason(Choice):
    EDUCATION_ORDER = "education_order"
    LONG_TERM_RISK = "long_term_risk"
    COMPLEX_CHALLENGES = "complex_challenges"


class WeeklyStatus(Choice):
    EMPLOYED = "employed"
    BENEFIT = "benefit"
    OTHER = "other"


# Keyed by (class, value): members of different classes share values ("job", "joint").
_LABELS: dict[tuple[type[Choice], str], tuple[str, str]] = {
    (Purpose, Purpose.CV.value): ("CV-samtale", "CV conversation"),
    (Purpose, Purpose.AVAILABILITY.value): ("Rådighedssamtale", "Availability conversation"),
    (Purpose, Purpose.JOB.value): ("Jobsamtale", "Job conversation"),
    (Purpose, Purpose.JOINT.value): ("Fællessamtale", "Joint conversation"),
    (HeldBy, HeldBy.AKASSE.value): ("A-kasse", "A-kasse"),
    (HeldBy, HeldBy.JOBCENTRE.value): ("Jobcenter", "Job centre"),
    (HeldBy, HeldBy.JOINT.value): ("A-kasse og jobcenter", "A-kasse and job centre"),
    (Mode, Mode.IN_PERSON.value): ("Personligt fremmøde", "In person"),
    (Mode, Mode.PHONE.value): ("Telefon", "Phone"),
    (Mode, Mode.VIDEO.value): ("Video", "Video"),
    (RequirementStatus, RequirementStatus.MET.value): ("Afholdt", "Met"),
    (RequirementStatus, RequirementStatus.LATE.value): ("Afholdt for sent", "Held late"),
    (RequirementStatus, RequirementStatus.DUE.value): ("Skal afholdes", "Due"),
    (RequirementStatus, RequirementStatus.OVERDUE.value): ("Overskredet", "Overdue"),
    (RequirementStatus, RequirementStatus.UPCOMING.value): ("Kommende", "Upcoming"),
    (Group, Group.TRIAL.value): ("Forsøg", "Trial"),
    (Group, Group.NORMAL.value): ("Normalindsats", "Normal effort"),
    (Education, Education.NONE.value): (
        "Ingen erhvervskompetencegivende uddannelse",
        "No vocational education",
    ),
    (Education, Education.VOCATIONAL.value): ("Erhvervsuddannelse", "Vocational education"),
    (Education, Education.HIGHER.value): ("Videregående uddannelse", "Higher education"),
    (Sex, Sex.FEMALE.value): ("Kvinde", "Female"),
    (Sex, Sex.MALE.value): ("Mand", "Male"),
    (ExitReason, ExitReason.JOB.value): ("Job", "Job"),
    (ExitReason, ExitReason.HANDOVER.value): ("Overdraget til jobcenter", "Handed over to job centre"),
    (ExitReason, ExitReason.REFERRED.value): ("Visiteret ud", "Referred out"),
    (ExitReason, ExitReason.MOVED.value): ("Fraflyttet forsøgskommune", "Moved out of trial municipality"),
    (ExitReason, ExitReason.SWITCHED_AKASSE.value): ("Skiftet a-kasse", "Switched a-kasse"),
    (ReferralReason, ReferralReason.EDUCATION_ORDER.value): ("Uddannelsespålæg", "Education order"),
    (ReferralReason, ReferralReason.LONG_TERM_RISK.value): (
        "Risiko for langtidsledighed",
        "Risk of long-term unemployment",
    ),
    (ReferralReason, ReferralReason.COMPLEX_CHALLENGES.value): (
        "Komplekse udfordringer",
        "Complex challenges",
    ),
    (WeeklyStatus, WeeklyStatus.EMPLOYED.value): ("Beskæftiget", "Employed"),
    (WeeklyStatus, WeeklyStatus.BENEFIT.value): ("Dagpenge", "Unemployment benefit"),
    (WeeklyStatus, WeeklyStatus.OTHER.value): ("Andet", "Other"),
}
