"""Seed the fixed taxonomy (spec/taxonomy.json), the Open311 services, priorities and response templates.

The spec's data is copied here as literals: it is a fixed specification and a migration must never read
files outside the repository. Rows are matched by code (update_or_create), so re-running is harmless;
the reverse is a no-op because cases may already point at these rows.
"""

from django.db import migrations

MESSAGE_TYPES = [
    ("request", "درخواست", "Request"),
    ("complaint", "شکایت", "Complaint"),
    ("report", "گزارش", "Report"),
    ("suggestion", "پیشنهاد", "Suggestion"),
    ("criticism", "انتقاد", "Criticism"),
    ("appreciation", "قدردانی", "Appreciation"),
    ("inquiry", "استعلام و پرسش", "Inquiry"),
]

# (code, fa, en, unit_kind, sla_hours, examples)
CATEGORIES = [
    (
        "waste",
        "پسماند و نظافت شهری",
        "Waste and street cleaning",
        "district",
        24,
        [
            "جمع‌آوری زباله",
            "مخزن و سطل زباله",
            "رفت‌وروب معابر",
            "نخاله و پسماند ساختمانی",
            "بازیافت و پسماند خشک",
        ],
    ),
    (
        "roads",
        "آسفالت، معابر و پیاده‌رو",
        "Roads, asphalt and sidewalks",
        "district",
        72,
        ["چاله و دست‌انداز", "ترمیم حفاری", "پیاده‌رو و سنگ‌فرش", "دریچه و جدول", "پل عابر و رمپ"],
    ),
    (
        "green",
        "فضای سبز و درختان",
        "Green space and trees",
        "district",
        72,
        ["هرس و درخت خشک", "قطع غیرمجاز درخت", "آبیاری", "آفت و سمپاشی درختان", "درختکاری"],
    ),
    (
        "lighting",
        "روشنایی معابر و اماکن عمومی",
        "Street and public lighting",
        "district",
        48,
        ["چراغ خاموش", "روشنایی پارک", "زیرگذر و تونل تاریک", "پایه چراغ آسیب‌دیده"],
    ),
    (
        "drainage",
        "آب‌های سطحی، جوی و کانال",
        "Surface water, gutters and channels",
        "district",
        24,
        ["آب‌گرفتگی", "لایروبی جوی و مسیل", "کانال بدون سرپوش", "دریچه آبرو گرفته"],
    ),
    (
        "construction",
        "ساخت‌وساز و شهرسازی",
        "Construction and urban planning",
        "district",
        168,
        [
            "ساخت‌وساز بدون پروانه",
            "تغییر کاربری غیرمجاز",
            "ایمنی کارگاه و گودبرداری",
            "پروانه و پایان‌کار",
            "ساختمان نیمه‌کاره رهاشده",
        ],
    ),
    (
        "obstruction",
        "سد معبر و مشاغل مزاحم",
        "Sidewalk obstruction and nuisance businesses",
        "district",
        72,
        ["دستفروشی", "اشغال پیاده‌رو توسط مغازه", "مشاغل مزاحم در محل مسکونی", "تابلو و کانکس غیرمجاز"],
    ),
    (
        "traffic",
        "ترافیک، علائم و پارکینگ",
        "Traffic, signs and parking",
        "deputy",
        72,
        ["چراغ راهنمایی", "سرعت‌گیر", "خط‌کشی و تابلو", "پارک غیرمجاز", "پارکومتر و پارک حاشیه‌ای"],
    ),
    (
        "transit",
        "حمل‌ونقل عمومی",
        "Public transport",
        "organization",
        120,
        ["اتوبوس و بی‌آرتی", "مترو", "تاکسی", "ایستگاه", "کرایه و بلیت"],
    ),
    (
        "animals",
        "حیوانات و جانوران موذی",
        "Animals and pests",
        "district",
        48,
        ["سگ بلاصاحب", "لاشه حیوان", "موش و سوسک", "حیوان آسیب‌دیده"],
    ),
    (
        "social",
        "آسیب‌های اجتماعی",
        "Social harms",
        "deputy",
        24,
        ["کارتن‌خوابی", "کودکان کار", "تکدی‌گری", "اعتیاد در اماکن عمومی", "زباله‌گردی", "سالمند و نیازمند"],
    ),
    (
        "furniture",
        "مبلمان شهری و اماکن عمومی",
        "Street furniture and public facilities",
        "district",
        120,
        ["نیمکت", "وسایل بازی کودکان", "سرویس بهداشتی عمومی", "سایبان ایستگاه", "آبخوری", "نرده"],
    ),
    (
        "pollution",
        "آلودگی و مزاحمت",
        "Pollution and nuisance",
        "district",
        72,
        ["مزاحمت صوتی", "بو", "دود و سوزاندن زباله", "گرد و خاک"],
    ),
    (
        "safety",
        "ایمنی و حوادث",
        "Safety and hazards",
        "organization",
        4,
        ["ساختمان یا دیوار در حال ریزش", "چاه و گودال باز", "خطر آتش‌سوزی", "درخت افتاده", "تجهیزات آتش‌نشانی"],
    ),
    (
        "finance",
        "عوارض و امور مالی",
        "Municipal fees and finance",
        "deputy",
        168,
        ["عوارض نوسازی", "عوارض کسب", "جرایم و کمیسیون ماده صد", "استرداد وجه", "درگاه پرداخت"],
    ),
    (
        "staff",
        "عملکرد کارکنان و خدمات اداری",
        "Staff conduct and administrative services",
        "district",
        168,
        ["رفتار کارکنان", "تأخیر در انجام کار", "سامانه و اپلیکیشن", "پاسخگویی تلفنی"],
    ),
    (
        "culture",
        "فرهنگی، ورزشی و گردشگری",
        "Culture, sport and tourism",
        "organization",
        168,
        ["فرهنگسرا و سرای محله", "کتابخانه", "اماکن ورزشی", "کلاس‌ها و برنامه‌ها", "اطلاعات گردشگری"],
    ),
]

# Hazards are answered around the clock; everything else counts office hours.
AROUND_THE_CLOCK = {"safety"}
# A conduct complaint about staff is followed up with the citizen, so it needs a contact.
NOT_ANONYMOUS = {"staff"}


def _attr(code, datatype, description, *, required=False, values=(), hint=""):
    return {
        "code": code,
        "datatype": datatype,
        "description": description,
        "datatype_description": hint,
        "required": required,
        "values": [{"key": key, "name": name} for key, name in values],
    }


DATE_NOTICED = _attr(
    "date_noticed", "datetime", "از چه زمانی متوجه موضوع شدید؟", hint="تاریخ و ساعت به قالب ISO 8601"
)
YES_NO = (("yes", "بله"), ("no", "خیر"))

# category code -> [(service_code, fa, en, [attributes])]
SERVICES = {
    "waste": [
        ("waste-collection", "جمع‌آوری زباله", "Waste collection", [DATE_NOTICED]),
        (
            "waste-bin",
            "مخزن و سطل زباله",
            "Waste bins and containers",
            [
                _attr(
                    "bin_problem",
                    "singlevaluelist",
                    "مشکل مخزن چیست؟",
                    required=True,
                    values=(
                        ("full", "پر و سرریز"),
                        ("broken", "شکسته"),
                        ("missing", "نبود مخزن"),
                        ("dirty", "کثیف و بدبو"),
                    ),
                ),
            ],
        ),
        ("waste-street-sweeping", "رفت‌وروب معابر", "Street sweeping", []),
        (
            "waste-construction-debris",
            "نخاله و پسماند ساختمانی",
            "Construction debris",
            [
                _attr("volume_m3", "number", "حجم تقریبی نخاله (متر مکعب)", hint="عدد، مثلاً ۳"),
                _attr("truck_plate", "string", "پلاک خودروی تخلیه‌کننده (در صورت مشاهده)"),
            ],
        ),
        ("waste-recycling", "بازیافت و پسماند خشک", "Recycling and dry waste", []),
    ],
    "roads": [
        (
            "roads-pothole",
            "چاله و دست‌انداز",
            "Pothole",
            [
                _attr(
                    "pothole_size",
                    "singlevaluelist",
                    "اندازه چاله",
                    required=True,
                    values=(
                        ("small", "کوچک (کمتر از ۳۰ سانتی‌متر)"),
                        ("medium", "متوسط (۳۰ تا ۱۰۰ سانتی‌متر)"),
                        ("large", "بزرگ (بیش از یک متر)"),
                    ),
                ),
                _attr(
                    "lane",
                    "singlevaluelist",
                    "محل چاله",
                    values=(("roadway", "سواره‌رو"), ("sidewalk", "پیاده‌رو"), ("bike_lane", "مسیر دوچرخه")),
                ),
            ],
        ),
        (
            "roads-excavation-repair",
            "ترمیم حفاری",
            "Excavation repair",
            [
                _attr("contractor", "string", "نام پیمانکار یا دستگاه حفار (در صورت اطلاع)"),
                DATE_NOTICED,
            ],
        ),
        ("roads-sidewalk", "پیاده‌رو و سنگ‌فرش", "Sidewalk and paving", []),
        (
            "roads-manhole-curb",
            "دریچه و جدول",
            "Manholes and curbs",
            [
                _attr("manhole_open", "singlevaluelist", "آیا دریچه باز یا شکسته است؟", values=YES_NO),
            ],
        ),
        ("roads-pedestrian-bridge", "پل عابر و رمپ", "Pedestrian bridges and ramps", []),
    ],
    "green": [
        (
            "green-pruning",
            "هرس و درخت خشک",
            "Pruning and dead trees",
            [
                _attr("tree_count", "number", "تعداد درختان", hint="عدد"),
            ],
        ),
        ("green-illegal-felling", "قطع غیرمجاز درخت", "Illegal tree felling", [DATE_NOTICED]),
        ("green-irrigation", "آبیاری", "Irrigation", []),
        ("green-pests", "آفت و سمپاشی درختان", "Tree pests and spraying", []),
        ("green-planting", "درختکاری", "Tree planting", []),
    ],
    "lighting": [
        (
            "lighting-streetlight-out",
            "چراغ خاموش",
            "Street light out",
            [
                _attr("lamp_count", "number", "تعداد چراغ‌های خاموش", required=True, hint="عدد"),
                _attr("pole_number", "string", "شماره پایه چراغ (در صورت وجود)"),
            ],
        ),
        ("lighting-park", "روشنایی پارک", "Park lighting", []),
        ("lighting-underpass", "زیرگذر و تونل تاریک", "Dark underpass or tunnel", []),
        (
            "lighting-damaged-pole",
            "پایه چراغ آسیب‌دیده",
            "Damaged light pole",
            [
                _attr(
                    "wires_exposed",
                    "singlevaluelist",
                    "آیا سیم برق بیرون زده است؟",
                    required=True,
                    values=YES_NO,
                ),
            ],
        ),
    ],
    "drainage": [
        (
            "drainage-flooding",
            "آب‌گرفتگی",
            "Flooding",
            [
                _attr(
                    "water_depth",
                    "singlevaluelist",
                    "عمق تقریبی آب",
                    values=(("ankle", "تا مچ پا"), ("knee", "تا زانو"), ("deeper", "بیشتر")),
                ),
            ],
        ),
        ("drainage-gutter-dredging", "لایروبی جوی و مسیل", "Gutter and channel dredging", []),
        ("drainage-uncovered-channel", "کانال بدون سرپوش", "Uncovered channel", []),
        ("drainage-blocked-inlet", "دریچه آبرو گرفته", "Blocked drain inlet", []),
    ],
    "construction": [
        (
            "construction-unpermitted",
            "ساخت‌وساز بدون پروانه",
            "Construction without a permit",
            [
                _attr("floors", "number", "تعداد طبقات در حال ساخت", hint="عدد"),
                DATE_NOTICED,
            ],
        ),
        ("construction-land-use", "تغییر کاربری غیرمجاز", "Illegal change of land use", []),
        ("construction-site-safety", "ایمنی کارگاه و گودبرداری", "Site and excavation safety", []),
        (
            "construction-permit",
            "پروانه و پایان‌کار",
            "Permits and completion certificates",
            [
                _attr("file_number", "string", "شماره پرونده شهرسازی"),
            ],
        ),
        ("construction-abandoned", "ساختمان نیمه‌کاره رهاشده", "Abandoned unfinished building", []),
    ],
    "obstruction": [
        ("obstruction-street-vendor", "دستفروشی", "Street vending", []),
        (
            "obstruction-shop-sidewalk",
            "اشغال پیاده‌رو توسط مغازه",
            "Shop occupying the sidewalk",
            [
                _attr("shop_name", "string", "نام یا نوع مغازه"),
            ],
        ),
        (
            "obstruction-nuisance-business",
            "مشاغل مزاحم در محل مسکونی",
            "Nuisance business in a residential area",
            [],
        ),
        ("obstruction-illegal-sign", "تابلو و کانکس غیرمجاز", "Illegal sign or kiosk", []),
    ],
    "traffic": [
        (
            "traffic-signal",
            "چراغ راهنمایی",
            "Traffic signal",
            [
                _attr(
                    "signal_problem",
                    "singlevaluelist",
                    "مشکل چراغ",
                    required=True,
                    values=(
                        ("off", "خاموش"),
                        ("flashing", "چشمک‌زن"),
                        ("timing", "زمان‌بندی نامناسب"),
                        ("damaged", "آسیب‌دیده"),
                    ),
                ),
            ],
        ),
        ("traffic-speed-bump", "سرعت‌گیر", "Speed bump", []),
        ("traffic-markings-signs", "خط‌کشی و تابلو", "Road markings and signs", []),
        (
            "traffic-illegal-parking",
            "پارک غیرمجاز",
            "Illegal parking",
            [
                _attr("plate", "string", "پلاک خودرو"),
                DATE_NOTICED,
            ],
        ),
        ("traffic-parking-meter", "پارکومتر و پارک حاشیه‌ای", "Parking meters and kerbside parking", []),
    ],
    "transit": [
        (
            "transit-bus",
            "اتوبوس و بی‌آرتی",
            "Bus and BRT",
            [
                _attr("line_number", "string", "شماره خط"),
                _attr("vehicle_number", "string", "شماره اتوبوس"),
                _attr("incident_time", "datetime", "زمان رخداد", hint="تاریخ و ساعت به قالب ISO 8601"),
            ],
        ),
        (
            "transit-metro",
            "مترو",
            "Metro",
            [
                _attr("station", "string", "نام ایستگاه"),
            ],
        ),
        (
            "transit-taxi",
            "تاکسی",
            "Taxi",
            [
                _attr("plate", "string", "پلاک تاکسی", required=True),
                _attr("incident_time", "datetime", "زمان رخداد", hint="تاریخ و ساعت به قالب ISO 8601"),
            ],
        ),
        ("transit-station", "ایستگاه", "Stations and stops", []),
        ("transit-fare", "کرایه و بلیت", "Fares and tickets", []),
    ],
    "animals": [
        (
            "animals-stray-dog",
            "سگ بلاصاحب",
            "Stray dogs",
            [
                _attr("dog_count", "number", "تعداد سگ‌ها", hint="عدد"),
            ],
        ),
        ("animals-carcass", "لاشه حیوان", "Animal carcass", []),
        ("animals-pests", "موش و سوسک", "Rats and cockroaches", []),
        ("animals-injured", "حیوان آسیب‌دیده", "Injured animal", []),
    ],
    "social": [
        ("social-homeless", "کارتن‌خوابی", "Rough sleeping", []),
        ("social-child-labour", "کودکان کار", "Child labour", []),
        ("social-begging", "تکدی‌گری", "Begging", []),
        ("social-addiction", "اعتیاد در اماکن عمومی", "Drug use in public places", []),
        (
            "social-elderly-needy",
            "سالمند و نیازمند",
            "Elderly and people in need",
            [
                _attr(
                    "needs",
                    "multivaluelist",
                    "چه نیازی دارد؟",
                    values=(("shelter", "سرپناه"), ("food", "غذا"), ("medical", "درمان"), ("care", "مراقبت")),
                ),
            ],
        ),
    ],
    "furniture": [
        ("furniture-bench", "نیمکت", "Benches", []),
        (
            "furniture-playground",
            "وسایل بازی کودکان",
            "Playground equipment",
            [
                _attr(
                    "equipment",
                    "multivaluelist",
                    "کدام وسیله آسیب دیده است؟",
                    required=True,
                    values=(
                        ("swing", "تاب"),
                        ("slide", "سرسره"),
                        ("seesaw", "الاکلنگ"),
                        ("climbing", "وسیله صعود"),
                        ("other", "سایر"),
                    ),
                ),
            ],
        ),
        ("furniture-public-toilet", "سرویس بهداشتی عمومی", "Public toilets", []),
        ("furniture-shelter", "سایبان ایستگاه", "Stop shelters", []),
        ("furniture-fountain", "آبخوری", "Drinking fountains", []),
    ],
    "pollution": [
        (
            "pollution-noise",
            "مزاحمت صوتی",
            "Noise nuisance",
            [
                _attr(
                    "time_of_day",
                    "singlevaluelist",
                    "زمان مزاحمت",
                    values=(("day", "روز"), ("night", "شب"), ("all_day", "شبانه‌روز")),
                ),
            ],
        ),
        ("pollution-odour", "بو", "Odour", []),
        ("pollution-smoke", "دود و سوزاندن زباله", "Smoke and waste burning", []),
        ("pollution-dust", "گرد و خاک", "Dust", []),
    ],
    "safety": [
        (
            "safety-collapse",
            "ساختمان یا دیوار در حال ریزش",
            "Building or wall at risk of collapse",
            [
                _attr(
                    "people_at_risk",
                    "singlevaluelist",
                    "آیا افراد در معرض خطرند؟",
                    required=True,
                    values=YES_NO,
                ),
            ],
        ),
        (
            "safety-open-pit",
            "چاه و گودال باز",
            "Open well or pit",
            [
                _attr(
                    "pit_depth",
                    "singlevaluelist",
                    "عمق تقریبی",
                    values=(("shallow", "کمتر از یک متر"), ("deep", "بیش از یک متر")),
                ),
            ],
        ),
        ("safety-fire-hazard", "خطر آتش‌سوزی", "Fire hazard", []),
        (
            "safety-fallen-tree",
            "درخت افتاده",
            "Fallen tree",
            [
                _attr("blocks_road", "singlevaluelist", "آیا مسیر را بسته است؟", values=YES_NO),
            ],
        ),
        ("safety-fire-equipment", "تجهیزات آتش‌نشانی", "Fire equipment", []),
    ],
    "finance": [
        (
            "finance-renewal-fee",
            "عوارض نوسازی",
            "Property renewal fee",
            [
                _attr("property_code", "string", "کد نوسازی ملک", required=True),
            ],
        ),
        ("finance-business-fee", "عوارض کسب", "Business fee", []),
        ("finance-article-100", "جرایم و کمیسیون ماده صد", "Fines and the Article 100 commission", []),
        (
            "finance-refund",
            "استرداد وجه",
            "Refund",
            [
                _attr("amount", "number", "مبلغ (ریال)", required=True, hint="عدد"),
                _attr("payment_date", "datetime", "تاریخ پرداخت", hint="تاریخ و ساعت به قالب ISO 8601"),
                _attr("reason", "text", "علت درخواست استرداد"),
            ],
        ),
        ("finance-payment-gateway", "درگاه پرداخت", "Payment gateway", []),
    ],
    "staff": [
        (
            "staff-conduct",
            "رفتار کارکنان",
            "Staff conduct",
            [
                _attr("office", "string", "نام اداره یا واحد"),
                _attr("incident_time", "datetime", "زمان رخداد", hint="تاریخ و ساعت به قالب ISO 8601"),
            ],
        ),
        ("staff-delay", "تأخیر در انجام کار", "Delay in getting things done", []),
        ("staff-systems", "سامانه و اپلیکیشن", "Online systems and apps", []),
        ("staff-phone", "پاسخگویی تلفنی", "Telephone answering", []),
    ],
    "culture": [
        ("culture-centre", "فرهنگسرا و سرای محله", "Cultural and neighbourhood centres", []),
        ("culture-library", "کتابخانه", "Libraries", []),
        ("culture-sports-venue", "اماکن ورزشی", "Sports venues", []),
        ("culture-classes", "کلاس‌ها و برنامه‌ها", "Classes and programmes", []),
        ("culture-tourism-info", "اطلاعات گردشگری", "Tourist information", []),
    ],
}

# (code, fa, en, weight, sla_factor, is_default)
PRIORITIES = [
    ("emergency", "فوری", "Emergency", 40, "0.25", False),
    ("high", "زیاد", "High", 30, "0.50", False),
    ("normal", "عادی", "Normal", 20, "1.00", True),
    ("low", "کم", "Low", 10, "1.50", False),
]

# (code, title, resolution, category code or None, body)
TEMPLATES = [
    (
        "registered",
        "اعلام ثبت پیام",
        "",
        None,
        "{citizen_name} گرامی، پیام شما در موضوع «{category}» با کد رهگیری {tracking_code} در تاریخ {date} ثبت شد "
        "و برای رسیدگی به {unit} فرستاده شد.",
    ),
    (
        "fixed",
        "رفع شد",
        "fixed",
        None,
        "{citizen_name} گرامی، موضوع پیام شما با کد رهگیری {tracking_code} در تاریخ {date} توسط {unit} رفع شد. "
        "از همراهی شما سپاسگزاریم.",
    ),
    (
        "answered",
        "پاسخ داده شد",
        "answered",
        None,
        "{citizen_name} گرامی، به پیام شما با کد رهگیری {tracking_code} در موضوع «{category}» از سوی {unit} پاسخ داده شد.",
    ),
    (
        "not-possible",
        "امکان انجام ندارد",
        "not_possible",
        None,
        "{citizen_name} گرامی، رسیدگی به پیام شما با کد رهگیری {tracking_code} در حال حاضر از سوی {unit} امکان‌پذیر نیست. "
        "علت در ادامه آمده است.",
    ),
    (
        "not-responsible",
        "خارج از حوزه مسئولیت",
        "not_responsible",
        None,
        "{citizen_name} گرامی، موضوع پیام شما با کد رهگیری {tracking_code} در حوزه مسئولیت شهرداری نیست "
        "و لازم است از دستگاه مسئول پیگیری شود.",
    ),
    (
        "roads-pothole-fixed",
        "ترمیم آسفالت انجام شد",
        "fixed",
        "roads",
        "{citizen_name} گرامی، ترمیم آسفالت محل اعلام‌شده در پیام {tracking_code} در تاریخ {date} توسط {unit} انجام شد.",
    ),
    (
        "waste-collected",
        "پسماند جمع‌آوری شد",
        "fixed",
        "waste",
        "{citizen_name} گرامی، پسماند محل اعلام‌شده در پیام {tracking_code} در تاریخ {date} جمع‌آوری شد.",
    ),
]


def seed(apps, schema_editor):
    MessageType = apps.get_model("catalog", "MessageType")
    Category = apps.get_model("catalog", "Category")
    Service = apps.get_model("catalog", "Service")
    ServiceAttribute = apps.get_model("catalog", "ServiceAttribute")
    Priority = apps.get_model("catalog", "Priority")
    ResponseTemplate = apps.get_model("catalog", "ResponseTemplate")

    for order, (code, fa, en) in enumerate(MESSAGE_TYPES, start=1):
        MessageType.objects.update_or_create(code=code, defaults={"name": fa, "name_en": en, "order": order})

    categories = {}
    for order, (code, fa, en, unit_kind, sla_hours, examples) in enumerate(CATEGORIES, start=1):
        categories[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": fa,
                "name_en": en,
                "unit_kind": unit_kind,
                "sla_hours": sla_hours,
                "examples": examples,
                "around_the_clock": code in AROUND_THE_CLOCK,
                "allows_anonymous": code not in NOT_ANONYMOUS,
                "order": order,
            },
        )

    for category_code, services in SERVICES.items():
        for order, (service_code, fa, en, attributes) in enumerate(services, start=1):
            service, _ = Service.objects.update_or_create(
                service_code=service_code,
                defaults={"category": categories[category_code], "name": fa, "name_en": en, "order": order},
            )
            for attr_order, attribute in enumerate(attributes, start=1):
                ServiceAttribute.objects.update_or_create(
                    service=service,
                    code=attribute["code"],
                    defaults={**{k: v for k, v in attribute.items() if k != "code"}, "order": attr_order},
                )

    for code, fa, en, weight, factor, is_default in PRIORITIES:
        Priority.objects.update_or_create(
            code=code,
            defaults={
                "name": fa,
                "name_en": en,
                "weight": weight,
                "sla_factor": factor,
                "is_default": is_default,
            },
        )

    for code, title, resolution, category_code, body in TEMPLATES:
        ResponseTemplate.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "resolution": resolution,
                "category": categories[category_code] if category_code else None,
                "body": body,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
