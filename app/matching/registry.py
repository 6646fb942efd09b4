# ruff: noqa: E501  (a data table: one fact per entry reads better than wrapped strings)
"""The fact registry data (contract: docs/rule-language.md §1). ``facts.FACTS`` indexes it.

Questions are written for a citizen at a kiosk: short, polite, one thing at a time.
"""

from __future__ import annotations

from app.matching.text import LocalizedText as T
from app.matching.values import FactOption, FactSpec

REGION_NAMES: dict[str, tuple[str, str]] = {
    "11": ("서울특별시", "Seoul"),
    "26": ("부산광역시", "Busan"),
    "27": ("대구광역시", "Daegu"),
    "28": ("인천광역시", "Incheon"),
    "29": ("광주광역시", "Gwangju"),
    "30": ("대전광역시", "Daejeon"),
    "31": ("울산광역시", "Ulsan"),
    "36": ("세종특별자치시", "Sejong"),
    "41": ("경기도", "Gyeonggi-do"),
    "43": ("충청북도", "Chungcheongbuk-do"),
    "44": ("충청남도", "Chungcheongnam-do"),
    "46": ("전라남도", "Jeollanam-do"),
    "47": ("경상북도", "Gyeongsangbuk-do"),
    "48": ("경상남도", "Gyeongsangnam-do"),
    "50": ("제주특별자치도", "Jeju"),
    "51": ("강원특별자치도", "Gangwon"),
    "52": ("전북특별자치도", "Jeonbuk"),
}

YES_NO = T(ko="예 / 아니요", en="Yes / No")


def _o(*options: tuple[str, str, str]) -> tuple[FactOption, ...]:
    return tuple(FactOption(value, T(ko=ko, en=en)) for value, ko, en in options)


def _p(
    name: str, type_: str, label: tuple[str, str], question: tuple[str, str], **kw: object
) -> FactSpec:
    return FactSpec(
        f"person.{name}", type_, "person", T(ko=label[0], en=label[1]),  # type: ignore[arg-type]
        T(ko=question[0], en=question[1]), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _h(
    fid: str, type_: str, label: tuple[str, str], question: tuple[str, str], **kw: object
) -> FactSpec:
    return FactSpec(
        fid, type_, "household", T(ko=label[0], en=label[1]),  # type: ignore[arg-type]
        T(ko=question[0], en=question[1]), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


STAGES = _o(
    ("pregnancy_birth", "임신·출산", "Pregnancy and birth"),
    ("infant", "영유아 (0~5세)", "Infant (0-5)"),
    ("child", "아동 (6~12세)", "Child (6-12)"),
    ("adolescent", "청소년 (13~18세)", "Adolescent (13-18)"),
    ("youth", "청년 (19~34세)", "Young adult (19-34)"),
    ("middle_age", "중장년 (35~64세)", "Middle age (35-64)"),
    ("senior", "노년 (65세 이상)", "Senior (65+)"),
)

PERSON_FACTS: tuple[FactSpec, ...] = (
    _p("birth_date", "date", ("생년월일", "date of birth"),
       ("생년월일을 알려 주세요.", "What is your date of birth?"), is_sensitive=True),
    _p("age", "int", ("나이", "age"), ("만 나이가 어떻게 되세요?", "How old are you (full years)?"),
       unit="years", is_derived=True, minimum=0, maximum=120),
    _p("age_months", "int", ("개월 수", "age in months"),
       ("태어난 지 몇 개월 되었나요?", "How many months old?"), unit="months",
       is_derived=True, asked_as="person.birth_date", minimum=0, maximum=1440),
    _p("stage", "enum", ("생애주기", "life stage"),
       ("어느 시기에 해당하세요?", "Which stage of life are you in?"), options=STAGES,
       is_derived=True, asked_as="person.age"),
    _p("relation", "enum", ("신청인과의 관계", "relation to the applicant"),
       ("신청하시는 분과 어떤 관계인가요?", "How is this person related to the applicant?"),
       options=_o(("self", "본인", "Self"), ("spouse", "배우자", "Spouse"), ("child", "자녀", "Child"),
                  ("parent", "부모", "Parent"), ("grandparent", "조부모", "Grandparent"),
                  ("grandchild", "손자녀", "Grandchild"), ("sibling", "형제자매", "Sibling"),
                  ("other", "기타", "Other"))),
    _p("sex", "enum", ("성별", "sex"), ("성별을 알려 주세요.", "What is your sex?"),
       options=_o(("female", "여성", "Female"), ("male", "남성", "Male"))),
    _p("nationality", "enum", ("국적", "nationality"),
       ("대한민국 국적이 있으세요?", "Do you hold Korean nationality?"),
       options=_o(("KR", "대한민국", "Korean"), ("foreign", "외국 국적", "Foreign"))),
    _p("pregnant", "bool", ("임신 중", "pregnant"), ("지금 임신 중이세요?", "Are you pregnant now?"),
       is_sensitive=True),
    _p("birth_order", "int", ("출생 순위", "birth order"),
       ("몇째 자녀인가요? (첫째는 1)", "Which child is this? (first child = 1)"),
       minimum=1, maximum=20),
    _p("disability_registered", "bool", ("등록장애인", "registered disability"),
       ("장애인으로 등록되어 있으세요?", "Are you a registered person with a disability?"),
       is_sensitive=True),
    _p("disability_severe", "bool", ("장애의 정도가 심한 장애인", "severe disability"),
       ("장애의 정도가 심한 장애인으로 판정받으셨나요?",
        "Is your disability assessed as severe?"), is_sensitive=True),
    _p("student", "enum", ("재학 상태", "schooling"),
       ("지금 학교에 다니세요? 다닌다면 어느 학교인가요?", "Are you in school? If so, which level?"),
       options=_o(("none", "다니지 않음", "Not in school"), ("elementary", "초등학교", "Elementary"),
                  ("middle", "중학교", "Middle school"), ("high", "고등학교", "High school"),
                  ("university", "대학교", "University"))),
    _p("childcare", "enum", ("돌봄 방식", "childcare"),
       ("아이는 낮에 어디에서 지내나요?", "Where does the child spend the day?"),
       options=_o(("home", "집에서 돌봄", "At home"), ("daycare", "어린이집", "Daycare centre"),
                  ("kindergarten", "유치원", "Kindergarten"))),
    _p("employment_status", "enum", ("일자리 상태", "work status"),
       ("지금 일을 하고 계세요?", "Are you working at the moment?"),
       options=_o(("employed", "직장에 다님", "Employed"), ("self_employed", "자영업", "Self-employed"),
                  ("unemployed", "일자리를 찾는 중", "Looking for work"),
                  ("not_working", "일하지 않음 (구직 안 함)", "Not working, not looking"))),
    _p("earned_income_monthly", "money", ("본인의 월 근로·사업소득", "own monthly earnings"),
       ("본인이 일해서 버는 돈은 한 달에 얼마인가요?", "How much do you earn from work per month?"),
       unit="KRW_monthly", minimum=0),
    _p("employer_health_insurance", "bool", ("직장 건강보험 가입", "employee health insurance"),
       ("직장 건강보험에 가입되어 있으세요?", "Are you covered by workplace health insurance?")),
    _p("public_pension", "bool", ("공무원·군인 등 직역연금 수급권", "public-service pension"),
       ("공무원·사학·군인·별정우체국 연금을 받을 자격이 있으세요?",
        "Are you entitled to a civil-service, teachers', military or post-office pension?")),
    _p("involuntary_job_loss", "bool", ("비자발적 이직", "involuntary job loss"),
       ("최근 1년 안에 원하지 않게 일을 그만두셨나요? (고용보험 180일 이상)",
        "Did you lose a job against your will in the last 12 months (180+ insured days)?")),
    _p("work_experience_100d", "bool", ("최근 2년 취업경험 100일 이상", "100 days of recent work"),
       ("최근 2년 동안 100일(800시간) 이상 일하셨나요?",
        "Have you worked at least 100 days (800 hours) in the last 2 years?")),
    _p("long_term_care_grade", "bool", ("장기요양 등급", "long-term care grade"),
       ("장기요양 등급을 받으셨나요?", "Do you hold a long-term care grade?"), is_sensitive=True),
    _p("daily_living_difficulty", "bool", ("일상생활의 어려움", "difficulty with daily living"),
       ("6개월 넘게 혼자서 일상생활을 하기 어려우세요?",
        "Have you been unable to manage daily life alone for 6 months or more?"),
       is_sensitive=True),
    _p("care_need", "bool", ("돌봄 필요", "need for care"),
       ("혼자 지내시거나 도움이 필요하세요?", "Do you live alone or need someone to look after you?"),
       is_sensitive=True),
    _p("veteran", "bool", ("참전유공자", "registered war veteran"),
       ("참전유공자로 등록되어 있으세요?", "Are you a registered war veteran?")),
    _p("marriage_immigrant", "bool", ("결혼이민자", "marriage immigrant"),
       ("결혼하여 한국에 오셨나요?", "Did you come to Korea through marriage?")),
    _p("years_since_entry", "int", ("입국 후 햇수", "years since entry"),
       ("한국에 처음 오신 지 몇 년 되셨나요?", "How many years since you first came to Korea?"),
       unit="years", minimum=0, maximum=120),
    _p("naturalized_within_3y", "bool", ("귀화 3년 이내", "naturalized within 3 years"),
       ("최근 3년 안에 한국 국적을 얻으셨나요?", "Did you become a Korean citizen in the last 3 years?")),
    _p("out_of_school", "bool", ("학교 밖 청소년", "out-of-school youth"),
       ("학교를 그만두었거나 다니지 않는 청소년인가요?", "Is this a young person who left or never attended school?")),
    _p("at_risk_youth", "bool", ("위기청소년", "youth at risk"),
       ("가정이나 생활에 어려움이 있는 청소년인가요?", "Is this a young person facing a crisis at home or in life?"),
       is_sensitive=True),
    _p("care_leaver", "bool", ("자립준비청년", "care leaver"),
       ("5년 안에 보호시설·위탁가정에서 나와 자립하셨나요?",
        "Did you leave a children's home or foster care within the last 5 years?")),
    _p("literacy_incomplete", "bool", ("초등·중학 과정 미이수", "incomplete basic schooling"),
       ("초등학교나 중학교 과정을 마치지 못하셨나요?", "Did you not finish elementary or middle school?")),
    _p("high_risk_pregnancy", "bool", ("고위험 임신질환 입원", "high-risk pregnancy"),
       ("고위험 임신질환으로 입원 치료를 받으셨나요?",
        "Were you hospitalized for a high-risk pregnancy condition?"), is_sensitive=True),
    _p("infertility_diagnosed", "bool", ("난임 진단", "infertility diagnosis"),
       ("난임 진단을 받으셨나요?", "Have you been diagnosed with infertility?"), is_sensitive=True),
    _p("mental_health_referral", "bool", ("심리상담 의뢰·진단", "counselling referral"),
       ("심리상담 의뢰서나 진단서를 받으셨나요?",
        "Do you have a referral or diagnosis for counselling?"), is_sensitive=True),
    _p("lives_apart_from_parents", "bool", ("부모와 따로 거주", "living apart from parents"),
       ("부모님과 따로 살고 계세요?", "Do you live apart from your parents?")),
)  # fmt: skip

RECEIVES = _o(
    ("basic-livelihood", "생계급여", "Livelihood benefit"),
    ("medical-aid", "의료급여", "Medical aid"),
    ("housing-benefit", "주거급여", "Housing benefit"),
    ("education-benefit", "교육급여", "Education benefit"),
    ("near-poverty", "차상위계층", "Near-poverty status"),
    ("basic-pension", "기초연금", "Basic pension"),
    ("disability-pension", "장애인연금", "Disability pension"),
    ("unemployment-benefit", "구직급여 (실업급여)", "Unemployment benefit"),
    ("self-sufficiency-work", "자활근로", "Self-sufficiency work"),
)
CRISES = _o(
    ("earner_death", "주소득자의 사망", "Death of the main earner"),
    ("earner_missing", "주소득자의 가출·행방불명", "Main earner missing"),
    ("serious_illness", "중한 질병이나 부상", "Serious illness or injury"),
    ("abuse_violence", "학대·폭력", "Abuse or violence"),
    ("fire_disaster", "화재·재난", "Fire or disaster"),
    ("job_loss", "실직", "Job loss"),
    ("business_closure", "휴업·폐업", "Business closure"),
    ("utility_cutoff", "전기·수도 등 단전·단수", "Utilities cut off"),
    ("eviction", "거주지에서 쫓겨남", "Eviction"),
    ("other", "그 밖의 위기", "Other crisis"),
)
MONEY = {"unit": "KRW_monthly", "minimum": 0}

HOUSEHOLD_FACTS: tuple[FactSpec, ...] = (
    _h("household.size", "int", ("가구원 수", "household size"),
       ("함께 사는 가족은 본인을 포함해 모두 몇 명인가요?",
        "How many people live in your household, including you?"),
       unit="persons", is_derived=True, minimum=1, maximum=30),
    _h("household.region", "enum", ("거주 지역", "region"), ("어느 시·도에 사세요?", "Which province or city do you live in?"),
       options=_o(*((code, ko, en) for code, (ko, en) in REGION_NAMES.items()))),
    _h("household.urban_class", "enum", ("거주지 유형", "type of area"),
       ("사시는 곳은 대도시, 중소도시, 농어촌 중 어디인가요?",
        "Do you live in a large city, a small city or a rural area?"),
       options=_o(("metropolitan", "대도시", "Large city"), ("small_city", "중소도시", "Small city"),
                  ("rural", "농어촌", "Rural area"))),
    _h("household.income_recognized_monthly", "money", ("가구 소득인정액", "household recognized income"),
       ("가구의 한 달 소득인정액(소득과 재산 환산액의 합)은 얼마쯤인가요?",
        "About how much is your household's monthly recognized income (income plus converted assets)?"),
       **MONEY),
    _h("household.median_income_ratio", "number", ("기준 중위소득 대비 소득", "income as % of median"),
       ("가구 소득이 기준 중위소득의 몇 %인가요?", "What is your income as a percentage of the median?"),
       unit="percent", is_derived=True, asked_as="household.income_recognized_monthly", minimum=0),
    _h("household.assets", "money", ("가구 재산", "household assets"),
       ("가구의 재산(집, 땅, 자동차, 예금 등)은 모두 얼마쯤인가요?",
        "About how much are your household's assets worth (home, land, car, savings)?"),
       unit="KRW", minimum=0),
    _h("household.financial_assets", "money", ("가구 금융재산", "financial assets"),
       ("예금·적금·주식 같은 금융재산은 얼마쯤인가요?", "About how much do you hold in savings, deposits and shares?"),
       unit="KRW", minimum=0),
    _h("household.housing", "enum", ("주거 형태", "housing"), ("지금 사는 집은 어떤 형태인가요?", "What is your housing situation?"),
       options=_o(("owner", "자가", "Own home"), ("renter_monthly", "월세", "Monthly rent"),
                  ("renter_jeonse", "전세", "Jeonse (lump-sum deposit)"),
                  ("public_rental", "공공임대", "Public rental"), ("other", "기타", "Other"))),
    _h("household.rent_monthly", "money", ("월세", "monthly rent"), ("한 달 월세는 얼마인가요?", "How much is your monthly rent?"),
       **MONEY),
    _h("household.rent_deposit", "money", ("임차보증금", "rent deposit"),
       ("임차보증금은 얼마인가요?", "How much is your rent deposit?"), unit="KRW", minimum=0),
    _h("household.single_parent", "bool", ("한부모·조손 가족", "single-parent family"),
       ("한부모 가족이거나 조부모가 손자녀를 키우는 가족인가요?",
        "Are you a single parent, or a grandparent raising grandchildren?")),
    _h("household.multicultural", "bool", ("다문화가족", "multicultural family"),
       ("다문화가족인가요?", "Is yours a multicultural family?")),
    _h("household.care_gap", "bool", ("양육 공백", "gap in childcare"),
       ("맞벌이·한부모·부모의 장애나 질병 때문에 아이를 돌보기 어려운가요?",
        "Is it hard to look after your children because both parents work, or a parent is alone, disabled or ill?")),
    _h("household.receives", "set", ("이미 받는 급여", "benefits already received"),
       ("이미 받고 있는 급여나 자격을 모두 골라 주세요.", "Which benefits or statuses do you already have? Choose all."),
       options=RECEIVES),
    _h("household.crisis", "set", ("위기 상황", "crisis"),
       ("갑자기 생긴 어려운 일이 있나요? 모두 골라 주세요.", "Has something sudden made life hard? Choose all that apply."),
       options=CRISES),
    _h("pension_unit.income_recognized_monthly", "money", ("본인·배우자 소득인정액", "applicant and spouse recognized income"),
       ("본인과 배우자의 한 달 소득인정액은 얼마쯤인가요?",
        "About how much is the monthly recognized income of you and your spouse?"), **MONEY),
    _h("pension_unit.is_couple", "bool", ("부부 가구", "married couple"),
       ("배우자가 있으세요?", "Do you have a spouse?"), is_derived=True),
)  # fmt: skip
