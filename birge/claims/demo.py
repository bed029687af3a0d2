"""Demo data: real rumours of the 2020-2021 pandemic, checked, in Kazakh, Russian and English.

Evidence links point only at pages that exist (the official portal, the WHO's myth-busters,
the e-government portal); agency statements carry no invented addresses.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from birge.core.audit import audit_log
from birge.core.models import Agency, Region, Topic

from .matching import claim_index
from .models import Claim, ClaimRevision, ClaimTranslation, Evidence, Verdict
from .services import report_submit

PORTAL = ("coronavirus2020.kz", "https://www.coronavirus2020.kz/")
WHO_MYTHS = (
    "WHO: Coronavirus disease (COVID-19) advice for the public: Mythbusters",
    "https://www.who.int/emergencies/diseases/novel-coronavirus-2019/advice-for-public/myth-busters",
)
EGOV = ("eGov.kz", "https://egov.kz/")


@dataclass
class DemoClaim:
    key: str
    language: str
    verdict: str
    topic: str
    agency: str
    first_seen: date
    channels: list[str]
    # language -> (wording, explanation)
    texts: dict[str, tuple[str, str]]
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, url)


DEMO_CLAIMS = [
    DemoClaim(
        key="helicopters-almaty",
        language="ru",
        verdict=Verdict.FALSE,
        topic="quarantine-rules",
        agency="akimat-almaty",
        first_seen=date(2020, 3, 21),
        channels=["whatsapp", "telegram"],
        texts={
            "ru": (
                "Сегодня ночью над Алматы вертолёты будут распылять дезинфицирующее средство: "
                "закройте окна и не выходите на улицу.",
                "Акимат города опроверг это сообщение: распыление с вертолётов не планировалось "
                "и не проводилось. Улицы обрабатывают наземные коммунальные службы.",
            ),
            "kk": (
                "Бүгін түнде Алматы үстінен тікұшақтар дезинфекциялық зат себеді: терезелерді "
                "жабыңыз, көшеге шықпаңыз.",
                "Қала әкімдігі бұл хабарды жоққа шығарды: тікұшақтан дезинфекция жоспарланған "
                "жоқ және жүргізілген жоқ. Көшелерді коммуналдық қызметтер жерден өңдейді.",
            ),
            "en": (
                "Tonight helicopters will spray disinfectant over Almaty: close your windows "
                "and do not go outside.",
                "The city akimat denied this: no spraying from helicopters was planned or "
                "carried out. Streets are treated from the ground by municipal services.",
            ),
        },
        evidence=[("statement", "Statement of the Almaty city akimat", ""), ("link", *PORTAL)],
    ),
    DemoClaim(
        key="garlic",
        language="ru",
        verdict=Verdict.FALSE,
        topic="symptoms-and-treatment",
        agency="ministry-of-healthcare",
        first_seen=date(2020, 2, 10),
        channels=["whatsapp", "facebook", "vk"],
        texts={
            "ru": (
                "Чеснок защищает от коронавируса и излечивает его: съедайте по три зубчика в день.",
                "Чеснок — полезный продукт, но нет никаких доказательств, что он защищает от "
                "COVID-19 или лечит его (Всемирная организация здравоохранения).",
            ),
            "kk": (
                "Сарымсақ коронавирустан қорғайды және оны емдейді: күніне үш түйірден жеңіз.",
                "Сарымсақ — пайдалы тағам, бірақ оның COVID-19-дан қорғайтыны немесе емдейтіні "
                "туралы ешқандай дәлел жоқ (Дүниежүзілік денсаулық сақтау ұйымы).",
            ),
            "en": (
                "Garlic protects you from the coronavirus and cures it: eat three cloves a day.",
                "Garlic is a healthy food, but there is no evidence that it protects from or "
                "cures COVID-19 (World Health Organization).",
            ),
        },
        evidence=[("link", *WHO_MYTHS)],
    ),
    DemoClaim(
        key="vodka",
        language="ru",
        verdict=Verdict.FALSE,
        topic="symptoms-and-treatment",
        agency="ministry-of-healthcare",
        first_seen=date(2020, 3, 5),
        channels=["whatsapp", "vk"],
        texts={
            "ru": (
                "Водка убивает коронавирус в горле: пейте по сто граммов в день.",
                "Употребление алкоголя не защищает от COVID-19 и вредит здоровью; спиртовые "
                "антисептики действуют на коже, а не внутри организма.",
            ),
            "kk": (
                "Арақ тамақтағы коронавирусты өлтіреді: күніне жүз грамнан ішіңіз.",
                "Алкоголь ішу COVID-19-дан қорғамайды және денсаулыққа зиян келтіреді; спирт "
                "негізіндегі антисептиктер ағзаның ішінде емес, теріде ғана әсер етеді.",
            ),
            "en": (
                "Vodka kills the coronavirus in your throat: drink a hundred grams a day.",
                "Drinking alcohol does not protect against COVID-19 and harms your health; "
                "alcohol-based sanitiser works on the skin, not inside the body.",
            ),
        },
        evidence=[("link", *WHO_MYTHS)],
    ),
    DemoClaim(
        key="5g",
        language="en",
        verdict=Verdict.FALSE,
        topic="symptoms-and-treatment",
        agency="ministry-of-digital-development",
        first_seen=date(2020, 4, 2),
        channels=["facebook", "youtube", "telegram"],
        texts={
            "en": (
                "5G towers spread the coronavirus and weaken the immune system.",
                "Viruses cannot travel on radio waves or mobile networks. COVID-19 spread in "
                "many countries that had no 5G network at all.",
            ),
            "ru": (
                "Вышки 5G распространяют коронавирус и ослабляют иммунитет.",
                "Вирусы не могут передаваться по радиоволнам и мобильным сетям. COVID-19 "
                "распространился и во многих странах, где сетей 5G не было вовсе.",
            ),
            "kk": (
                "5G мұнаралары коронавирусты таратады және иммунитетті әлсіретеді.",
                "Вирустар радиотолқындар мен ұялы байланыс желілері арқылы тарала алмайды. "
                "COVID-19 5G желісі мүлде жоқ көптеген елдерде де таралды.",
            ),
        },
        evidence=[("link", *WHO_MYTHS)],
    ),
    DemoClaim(
        key="masks-hypoxia",
        language="ru",
        verdict=Verdict.FALSE,
        topic="symptoms-and-treatment",
        agency="ministry-of-healthcare",
        first_seen=date(2020, 5, 12),
        channels=["instagram", "whatsapp", "tiktok"],
        texts={
            "ru": (
                "Длительное ношение медицинской маски вызывает кислородное голодание (гипоксию).",
                "Медицинские маски свободно пропускают кислород и углекислый газ; врачи носят их "
                "часами во время операций. Меняйте маску, когда она становится влажной.",
            ),
            "kk": (
                "Медициналық масканы ұзақ тағу оттегі жетіспеушілігін (гипоксияны) тудырады.",
                "Медициналық маскалар оттегі мен көмірқышқыл газын еркін өткізеді; дәрігерлер "
                "оларды ота кезінде сағаттап тағады. Маска ылғалданса, оны ауыстырыңыз.",
            ),
            "en": (
                "Wearing a medical mask for a long time causes oxygen deprivation (hypoxia).",
                "Medical masks let oxygen and carbon dioxide pass freely; surgeons wear them for "
                "hours during operations. Change a mask when it becomes damp.",
            ),
        },
        evidence=[("link", *WHO_MYTHS), ("link", *PORTAL)],
    ),
    DemoClaim(
        key="vaccine-microchips",
        language="ru",
        verdict=Verdict.FALSE,
        topic="vaccination",
        agency="ministry-of-healthcare",
        first_seen=date(2021, 1, 25),
        channels=["telegram", "tiktok", "whatsapp"],
        texts={
            "ru": (
                "В вакцинах от коронавируса есть микрочипы для слежки за людьми.",
                "В вакцинах нет микрочипов: их состав опубликован, а чип не может пройти через "
                "иглу для прививки и работать без питания и антенны.",
            ),
            "kk": (
                "Коронавирусқа қарсы вакциналарда адамдарды аңдуға арналған микрочиптер бар.",
                "Вакциналарда микрочип жоқ: олардың құрамы жарияланған, ал чип екпе инесінен "
                "өте алмайды және қуат көзі мен антеннасыз жұмыс істей алмайды.",
            ),
            "en": (
                "Coronavirus vaccines contain microchips to track people.",
                "Vaccines contain no microchips: their ingredients are published, and a chip "
                "could neither pass through a vaccination needle nor work without power and an "
                "antenna.",
            ),
        },
        evidence=[("link", *PORTAL)],
    ),
    DemoClaim(
        key="quarantine-extended-decree",
        language="ru",
        verdict=Verdict.FALSE,
        topic="quarantine-rules",
        agency="state-commission-state-of-emergency",
        first_seen=date(2020, 4, 25),
        channels=["whatsapp", "telegram"],
        texts={
            "ru": (
                "Постановлением карантин по всему Казахстану продлён до конца лета, школы и "
                "рынки закрыты до сентября.",
                "Государственная комиссия по чрезвычайному положению такого решения не "
                "принимала; распространяемое изображение подделано под официальный документ. "
                "Решения о карантине публикуются только на официальных сайтах и каналах.",
            ),
            "kk": (
                "Қаулымен бүкіл Қазақстан бойынша карантин жаздың соңына дейін ұзартылды, "
                "мектептер мен базарлар қыркүйекке дейін жабық.",
                "Төтенше жағдай режимі жөніндегі мемлекеттік комиссия мұндай шешім қабылдаған "
                "жоқ; таралып жүрген сурет ресми құжатқа ұқсатып жасалған. Карантин туралы "
                "шешімдер тек ресми сайттар мен арналарда жарияланады.",
            ),
            "en": (
                "A decree extends the quarantine across Kazakhstan until the end of the summer; "
                "schools and markets stay closed until September.",
                "The State Commission on the state of emergency adopted no such decision; the "
                "image in circulation imitates an official document. Quarantine decisions are "
                "published only on official sites and channels.",
            ),
        },
        evidence=[("link", *PORTAL)],
    ),
    DemoClaim(
        key="payment-42500-link",
        language="ru",
        verdict=Verdict.FALSE,
        topic="social-payments",
        agency="ministry-of-labour-and-social-protection",
        first_seen=date(2020, 4, 3),
        channels=["whatsapp", "sms", "instagram"],
        texts={
            "ru": (
                "Оформите выплату 42 500 тенге по этой ссылке: введите ИИН и номер банковской "
                "карты.",
                "Заявления на социальную выплату 42 500 тенге принимались только через "
                "официальный портал электронного правительства; министерство не просит данные "
                "карты по ссылкам в мессенджерах. Не вводите данные карты на таких сайтах.",
            ),
            "kk": (
                "42 500 теңге төлемді осы сілтеме арқылы рәсімдеңіз: ЖСН мен банк картасының "
                "нөмірін енгізіңіз.",
                "42 500 теңге әлеуметтік төлемге өтініш тек ресми электрондық үкімет порталы "
                "арқылы қабылданды; министрлік мессенджерлердегі сілтемелер арқылы карта "
                "деректерін сұрамайды. Мұндай сайттарға карта деректерін енгізбеңіз.",
            ),
            "en": (
                "Sign up for the 42,500 tenge payment through this link: enter your IIN and "
                "bank card number.",
                "Applications for the 42,500 tenge social payment were accepted only through "
                "the official e-government portal; the ministry never asks for card details "
                "through links in messengers. Do not enter card data on such sites.",
            ),
        },
        evidence=[("link", *EGOV)],
    ),
    DemoClaim(
        key="hot-water",
        language="ru",
        verdict=Verdict.FALSE,
        topic="symptoms-and-treatment",
        agency="ministry-of-healthcare",
        first_seen=date(2020, 3, 12),
        channels=["whatsapp", "facebook"],
        texts={
            "ru": (
                "Пейте горячую воду каждые 15 минут: вирус смоется в желудок, и кислота его убьёт.",
                "Пить воду полезно, но это не смывает вирус из дыхательных путей и не "
                "предотвращает заражение.",
            ),
            "kk": (
                "Әр 15 минут сайын ыстық су ішіңіз: вирус асқазанға түседі де, қышқыл оны "
                "өлтіреді.",
                "Су ішу пайдалы, бірақ ол вирусты тыныс алу жолдарынан шайып кетпейді және "
                "жұқтырудан сақтамайды.",
            ),
            "en": (
                "Drink hot water every 15 minutes: the virus is washed into the stomach, where "
                "the acid kills it.",
                "Drinking water is good for you, but it does not wash the virus out of the "
                "airways or prevent infection.",
            ),
        },
        evidence=[("link", *WHO_MYTHS)],
    ),
    DemoClaim(
        key="vitamin-d",
        language="ru",
        verdict=Verdict.UNPROVEN,
        topic="symptoms-and-treatment",
        agency="ministry-of-healthcare",
        first_seen=date(2020, 6, 8),
        channels=["instagram", "youtube"],
        texts={
            "ru": (
                "Витамин D защищает от заражения коронавирусом.",
                "Исследования не доказали, что витамин D предотвращает заражение. Принимайте "
                "витамины только по совету врача: они не заменяют вакцинацию, маски и дистанцию.",
            ),
            "kk": (
                "D дәрумені коронавирус жұқтырудан қорғайды.",
                "Зерттеулер D дәруменінің жұқтырудан сақтайтынын дәлелдеген жоқ. Дәруменді тек "
                "дәрігердің кеңесімен қабылдаңыз: ол вакцинаны, масканы және арақашықтықты "
                "алмастырмайды.",
            ),
            "en": (
                "Vitamin D protects you from catching the coronavirus.",
                "Studies have not shown that vitamin D prevents infection. Take vitamins only on "
                "a doctor's advice: they do not replace vaccination, masks or distancing.",
            ),
        },
    ),
    DemoClaim(
        key="cities-closed",
        language="ru",
        verdict=Verdict.TRUE,
        topic="travel-and-borders",
        agency="state-commission-state-of-emergency",
        first_seen=date(2020, 3, 17),
        channels=["whatsapp", "telegram", "offline"],
        texts={
            "ru": (
                "С 19 марта Нур-Султан и Алматы закрываются: на въездах в города ставят блокпосты.",
                "Правда. С 19 марта 2020 года карантин ограничил въезд в Нур-Султан и Алматы и "
                "выезд из них; на въездах были установлены блокпосты. Действующие правила "
                "смотрите в официальных сообщениях.",
            ),
            "kk": (
                "19 наурыздан бастап Нұр-Сұлтан мен Алматы жабылады: қалаға кіре берісте "
                "бақылау бекеттері қойылады.",
                "Рас. 2020 жылғы 19 наурыздан бастап карантин Нұр-Сұлтан мен Алматыға кіруді "
                "және одан шығуды шектеді; қалаға кіре берісте бақылау бекеттері қойылды. "
                "Қолданыстағы қағидаларды ресми хабарламалардан қараңыз.",
            ),
            "en": (
                "From 19 March Nur-Sultan and Almaty are closed: checkpoints are set up on the "
                "roads into the cities.",
                "True. From 19 March 2020 the quarantine restricted entry to and exit from "
                "Nur-Sultan and Almaty; checkpoints were set up on the roads into the cities. "
                "See the official announcements for the rules in force.",
            ),
        },
        evidence=[("link", *PORTAL)],
    ),
]

# Unchecked rumours in the fact-checkers' queue: (text, language, region codes submitting it).
DEMO_REPORTS = [
    (
        "Китайский чай Ляньхуа полностью вылечивает коронавирус за три дня, его раздают в аптеках",
        "ru",
        ["KZ-75", "KZ-75", "KZ-71", "KZ-35"],
    ),
    (
        "Ертең бүкіл Қазақстанда интернет өшіріледі, карантинге байланысты",
        "kk",
        ["KZ-79", "KZ-61"],
    ),
]


def _agency(slug: str) -> Agency | None:
    return Agency.objects.filter(slug=slug).first()


@transaction.atomic
def claims_demo_load() -> int:
    """Load (or refresh) the demo claims and queue; returns how many claims were created."""
    created_count = 0
    now = timezone.now()
    for offset, demo in enumerate(DEMO_CLAIMS):
        wording = demo.texts[demo.language][0]
        claim = Claim.objects.filter(wording=wording, language=demo.language).first()
        created = claim is None
        if claim is None:
            claim = Claim(wording=wording, language=demo.language)
        claim.verdict = demo.verdict
        claim.topic = Topic.objects.filter(slug=demo.topic).first()
        claim.agency = _agency(demo.agency)
        claim.first_seen = demo.first_seen
        claim.channels = demo.channels
        claim.status = Claim.Status.PUBLISHED
        claim.published_at = claim.published_at or now - timedelta(days=len(DEMO_CLAIMS) - offset)
        claim.full_clean()
        claim.save()
        for language, (text, explanation) in demo.texts.items():
            ClaimTranslation.objects.update_or_create(
                claim=claim,
                language=language,
                defaults={"wording": text, "explanation": explanation},
            )
        claim.evidence.all().delete()
        for position, (kind, title, url) in enumerate(demo.evidence):
            Evidence.objects.create(
                claim=claim, kind=kind, title=title, url=url, sort_order=position
            )
        if created:
            created_count += 1
            ClaimRevision.objects.create(
                claim=claim, status=Claim.Status.PUBLISHED, note="demo data"
            )
            audit_log(actor=None, action="claims.claim.demo_loaded", target=claim)
        claim_index(claim)
    if created_count:
        for text, language, codes in DEMO_REPORTS:
            for code in codes:
                report_submit(
                    text=text, language=language, region=Region.objects.filter(code=code).first()
                )
    return created_count
