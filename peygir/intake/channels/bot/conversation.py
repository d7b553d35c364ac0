"""The bot's conversation: one state machine over ``BotChat.state``, one turn per citizen message.

``converse`` reads the chat's state and the message and returns what to answer (a ``Turn``); it
changes the chat in memory (the caller saves it with the inbound message, in one transaction) and
calls the services that register, link and rate. Anything unexpected from the citizen — a sticker
where text was expected, an unknown command, a short description — gets a Persian explanation and
the keyboard of the step they are on, never an error.

Menu buttons and ``/commands`` work from any step (they abandon a draft); «انصراف» always returns
to the menu. A shared contact links the chat from any step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from peygir.cases.attachments import photo_clean
from peygir.cases.models import Case
from peygir.cases.schemas import PUBLIC_STATUS
from peygir.cases.selectors import case_track, cases_of_citizen
from peygir.cases.services import MAX_DESCRIPTION
from peygir.cases.tracking import CODE_LENGTH
from peygir.catalog.models import Category
from peygir.catalog.selectors import categories_active, category_active_find
from peygir.core.errors import ApplicationError, NotFound, RateLimited, ValidationError
from peygir.core.geo import TEHRAN_EXTENT
from peygir.core.jalali import format_date
from peygir.core.text import normalize_for_search, to_latin_digits, to_persian_digits
from peygir.feedback.selectors import rating_allowed
from peygir.feedback.services import survey_answer
from peygir.intake.models import BotChat, InboundMessage

from . import keyboards as kb
from .actions import bot_case_register, bot_chat_link, bot_citizen
from .client import BotApi, BotApiError
from .messages import Incoming, Kind

# A description shorter than this says too little for anyone to act on.
MIN_DESCRIPTION = 10
MIN_ADDRESS = 5
MY_CASES_SHOWN = 10
RATE_CASES_SHOWN = 8
# Telegram refuses messages over 4,096 characters; a long response is cut well before that.
RESPONSE_SHOWN = 1500
_TRACKING_IN_TEXT = re.compile(rf"(?<!\d)(\d{{{CODE_LENGTH}}})(?!\d)")

State = BotChat.State
Outcome = InboundMessage.Outcome


@dataclass
class Reply:
    text: str
    keyboard: dict[str, Any] | None = None


@dataclass
class Turn:
    """What one message produced: the answers to send, how it is recorded, the case it concerned."""

    replies: list[Reply] = field(default_factory=list)
    outcome: str = Outcome.RECEIVED
    case: Case | None = None

    def say(self, text: str, keyboard: dict[str, Any] | None = None) -> Turn:
        self.replies.append(Reply(str(text), keyboard))
        return self


def _reset(chat: BotChat, state: str = State.IDLE) -> None:
    chat.state = state
    chat.after_link = ""
    chat.draft_category = ""
    chat.draft_description = ""
    chat.draft_lat = chat.draft_lon = None
    chat.draft_address = ""
    chat.draft_photo = None
    chat.rate_case = None
    chat.rate_score = None


def _site_url() -> str:
    return str(getattr(settings, "PEYGIR", {}).get("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _category_names() -> list[str]:
    return [category.name for category in categories_active()]


def _category_by_text(text: str) -> Category | None:
    wanted = normalize_for_search(text)
    for category in categories_active():
        if wanted in (normalize_for_search(category.name), category.code):
            return category
    return None


# --- Prompts: what the bot says on entering each step ---------------------------------------------


def _menu(turn: Turn, text: str | None = None) -> Turn:
    return turn.say(
        text or _("چه کاری برایتان انجام دهم؟ یکی از گزینه‌های زیر را انتخاب کنید."), kb.main_keyboard()
    )


def _prompt(chat: BotChat, turn: Turn) -> Turn:
    """Say again what the current step waits for, with its keyboard."""
    state = chat.state
    if state == State.LINK:
        return turn.say(
            _(
                "برای ثبت و پیگیری پیام‌هایتان، شماره همراه خود را با دکمه «فرستادن شماره همراه من» "
                "بفرستید. این شماره فقط برای خبر دادن از پیام‌های شما به کار می‌رود."
            ),
            kb.contact_keyboard(),
        )
    if state == State.CATEGORY:
        return turn.say(
            _("موضوع پیام شما در کدام دسته است؟ دسته را از صفحه‌کلید زیر انتخاب کنید."),
            kb.choices_keyboard(_category_names()),
        )
    if state == State.DESCRIPTION:
        return turn.say(
            _("مشکل یا درخواست خود را در یک پیام متنی شرح دهید (دست‌کم %(min)s نویسه).")
            % {"min": to_persian_digits(MIN_DESCRIPTION)},
            kb.cancel_keyboard(),
        )
    if state == State.LOCATION:
        return turn.say(
            _(
                "محل را با دکمه «فرستادن موقعیت من» یا از بخش پیوست (Location) بفرستید، یا نشانی را "
                "بنویسید. اگر محل مشخصی ندارد «رد شدن» را بزنید."
            ),
            kb.location_keyboard(),
        )
    if state == State.PHOTO:
        return turn.say(
            _("اگر عکسی از موضوع دارید، آن را بفرستید؛ وگرنه «رد شدن» را بزنید."), kb.photo_keyboard()
        )
    if state == State.CONFIRM:
        return turn.say(_summary(chat), kb.confirm_keyboard())
    if state == State.TRACK:
        return turn.say(
            _("کد رهگیری پیام (%(digits)s رقم) را بنویسید.") % {"digits": to_persian_digits(CODE_LENGTH)},
            kb.cancel_keyboard(),
        )
    if state == State.RATE_SCORE:
        return turn.say(_("به پاسخ داده‌شده از ۱ تا ۵ چه امتیازی می‌دهید؟"), kb.score_keyboard())
    if state == State.RATE_FIXED:
        return turn.say(_("آیا مشکل شما برطرف شد؟"), kb.fixed_keyboard())
    return _menu(turn)


def _summary(chat: BotChat) -> str:
    category = category_active_find(chat.draft_category)
    if chat.draft_lat is not None:
        place = _("موقعیت روی نقشه فرستاده شد")
    else:
        place = chat.draft_address or _("بدون نشانی")
    lines = [
        _("پیام شما آماده ثبت است:"),
        _("دسته: %(name)s") % {"name": category.name if category else "—"},
        _("شرح: %(text)s") % {"text": chat.draft_description},
        _("محل: %(place)s") % {"place": place},
        _("عکس: %(photo)s") % {"photo": _("دارد") if chat.draft_photo else _("ندارد")},
        "",
        _("اگر درست است «تأیید و ثبت» را بزنید."),
    ]
    return "\n".join(str(line) for line in lines)


# --- Entering flows ---------------------------------------------------------------------------------


def _needs_link(chat: BotChat, turn: Turn, after: str) -> Turn:
    _reset(chat, State.LINK)
    chat.after_link = after
    turn.outcome = Outcome.HELP
    return _prompt(chat, turn)


def _start_register(chat: BotChat, turn: Turn, citizen: Any) -> Turn:
    if citizen is None:
        return _needs_link(chat, turn, State.CATEGORY)
    _reset(chat, State.CATEGORY)
    turn.outcome = Outcome.HELP
    return _prompt(chat, turn)


def _start_track(chat: BotChat, turn: Turn, citizen: Any) -> Turn:
    _reset(chat, State.TRACK)
    turn.outcome = Outcome.HELP
    return _prompt(chat, turn)


def _status_lines(case: Case) -> list[str]:
    return [
        _("کد رهگیری: %(code)s") % {"code": to_persian_digits(case.tracking_code)},
        _("دسته: %(name)s") % {"name": case.category.name if case.category else _("در حال دسته‌بندی")},
        _("تاریخ ثبت: %(date)s") % {"date": format_date(case.created_at)},
        _("وضعیت: %(status)s") % {"status": PUBLIC_STATUS.get(Case.Phase(case.phase), "")},
    ]


def _show_cases(chat: BotChat, turn: Turn, citizen: Any) -> Turn:
    if citizen is None:
        return _needs_link(chat, turn, "my_cases")
    _reset(chat)
    cases = list(cases_of_citizen(citizen)[:MY_CASES_SHOWN])
    turn.outcome = Outcome.TRACKED
    if not cases:
        return _menu(turn, _("هنوز پیامی با شماره شما در سامانه ۱۳۷ ثبت نشده است."))
    blocks = [_("آخرین پیام‌های شما:")]
    for case in cases:
        blocks.append("\n".join(str(line) for line in _status_lines(case)))
    return _menu(turn, "\n\n".join(str(block) for block in blocks))


def _rateable(citizen: Any) -> list[Case]:
    cases = cases_of_citizen(citizen).filter(phase__in=(Case.Phase.RESPONDED, Case.Phase.CLOSED))
    return [case for case in cases[: RATE_CASES_SHOWN * 3] if rating_allowed(case)][:RATE_CASES_SHOWN]


def _start_rate(chat: BotChat, turn: Turn, citizen: Any) -> Turn:
    if citizen is None:
        return _needs_link(chat, turn, State.RATE_CASE)
    _reset(chat)
    cases = _rateable(citizen)
    turn.outcome = Outcome.HELP
    if not cases:
        return _menu(turn, _("پاسخی که هنوز به آن امتیاز نداده باشید پیدا نشد."))
    chat.state = State.RATE_CASE
    return turn.say(
        _("به پاسخ کدام پیام امتیاز می‌دهید؟ کد رهگیری آن را انتخاب کنید."),
        kb.choices_keyboard([to_persian_digits(case.tracking_code) for case in cases], per_row=1),
    )


def _help(chat: BotChat, turn: Turn, citizen: Any) -> Turn:
    turn.outcome = Outcome.HELP
    return turn.say(
        _(
            "راهنمای بازوی سامانه ۱۳۷:\n"
            "• «ثبت پیام تازه»: دسته، شرح، محل و عکس را می‌پرسم و پیام شما را ثبت می‌کنم.\n"
            "• «پیگیری با کد رهگیری»: وضعیت هر پیام را با کد رهگیری آن نشان می‌دهم.\n"
            "• «پیام‌های من»: پیام‌های ثبت‌شده با شماره همراه شما.\n"
            "• «امتیاز به پاسخ»: نظر شما درباره پاسخی که گرفته‌اید.\n"
            "هر زمان «انصراف» را بزنید به این فهرست برمی‌گردید."
        ),
        kb.main_keyboard() if chat.state == State.IDLE else None,
    )


_COMMANDS: dict[str, Callable[[BotChat, Turn, Any], Turn]] = {
    "new": _start_register,
    "register": _start_register,
    "track": _start_track,
    "mycases": _show_cases,
    "rate": _start_rate,
    "help": _help,
}


def _menu_action(text: str) -> Callable[[BotChat, Turn, Any], Turn] | None:
    for label, action in (
        (kb.btn_register(), _start_register),
        (kb.btn_track(), _start_track),
        (kb.btn_my_cases(), _show_cases),
        (kb.btn_rate(), _start_rate),
        (kb.btn_help(), _help),
    ):
        if kb.button_is(text, label):
            return action
    return None


# --- Steps --------------------------------------------------------------------------------------------


def _bad_input(chat: BotChat, turn: Turn, explanation: str) -> Turn:
    turn.outcome = Outcome.REJECTED
    turn.say(explanation)
    return _prompt(chat, turn)


def _on_link(chat: BotChat, message: Incoming, turn: Turn) -> Turn:
    try:
        bot_chat_link(
            chat_id=chat.chat_id,
            sender_id=message.sender_id,
            contact_user_id=message.contact_user_id,
            phone=message.contact_phone,
        )
    except ValidationError as exc:
        return _bad_input(chat, turn, str(exc.detail))
    turn.say(_("شماره همراه شما ثبت شد. از این پس خبر پیام‌هایتان را اینجا هم می‌گیرید."))
    after, was_linking = chat.after_link, chat.state == State.LINK
    citizen = bot_citizen(chat.chat_id)
    if was_linking and after == State.CATEGORY:
        return _start_register(chat, turn, citizen)
    if was_linking and after == State.RATE_CASE:
        return _start_rate(chat, turn, citizen)
    if was_linking and after == "my_cases":
        return _show_cases(chat, turn, citizen)
    if was_linking:
        _reset(chat)
    turn.outcome = Outcome.HELP
    return _prompt(chat, turn)


def _on_category(chat: BotChat, message: Incoming, turn: Turn) -> Turn:
    category = _category_by_text(message.text) if message.kind == Kind.TEXT else None
    if category is None:
        return _bad_input(chat, turn, _("این دسته را نمی‌شناسم."))
    chat.draft_category = category.code
    chat.state = State.DESCRIPTION
    return _prompt(chat, turn)


def _on_description(chat: BotChat, message: Incoming, turn: Turn) -> Turn:
    if message.kind != Kind.TEXT:
        return _bad_input(
            chat, turn, _("شرح پیام را به صورت متن بنویسید؛ پیام صوتی، برچسب یا پرونده پذیرفته نمی‌شود.")
        )
    if len(message.text) < MIN_DESCRIPTION:
        return _bad_input(
            chat,
            turn,
            _("شرح بسیار کوتاه است؛ لطفاً بنویسید چه مشکلی، کجا و از چه زمانی وجود دارد."),
        )
    if len(message.text) > MAX_DESCRIPTION:
        return _bad_input(chat, turn, _("شرح پیام نباید بیشتر از ۵۰۰۰ نویسه باشد."))
    chat.draft_description = message.text
    chat.state = State.LOCATION
    return _prompt(chat, turn)


def _in_city(lat: float, lon: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = TEHRAN_EXTENT
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def _on_location(chat: BotChat, message: Incoming, turn: Turn) -> Turn:
    if message.kind == Kind.LOCATION and message.lat is not None and message.lon is not None:
        if not _in_city(message.lat, message.lon):
            return _bad_input(chat, turn, _("این موقعیت در محدوده شهر تهران نیست."))
        chat.draft_lat, chat.draft_lon = message.lat, message.lon
    elif message.kind == Kind.TEXT and kb.button_is(message.text, kb.btn_skip()):
        chat.draft_lat = chat.draft_lon = None
    elif message.kind == Kind.TEXT:
        if len(message.text) < MIN_ADDRESS:
            return _bad_input(chat, turn, _("نشانی بسیار کوتاه است."))
        chat.draft_address = message.text[:500]
    else:
        return _bad_input(chat, turn, _("این پیام موقعیت یا نشانی نیست."))
    chat.state = State.PHOTO
    return _prompt(chat, turn)


def _on_photo(chat: BotChat, message: Incoming, turn: Turn, api: BotApi) -> Turn:
    if message.kind == Kind.TEXT and kb.button_is(message.text, kb.btn_skip()):
        chat.draft_photo = None
    elif message.kind == Kind.PHOTO:
        try:
            data = api.download_file(message.file_id)
            cleaned = photo_clean(data)[0]
        except BotApiError:
            return _bad_input(chat, turn, _("دریافت عکس ممکن نشد؛ دوباره بفرستید یا «رد شدن» را بزنید."))
        except ValidationError as exc:
            return _bad_input(chat, turn, str(exc.detail))
        chat.draft_photo = cleaned
    else:
        return _bad_input(chat, turn, _("این پیام عکس نیست."))
    chat.state = State.CONFIRM
    return _prompt(chat, turn)


# Where the conversation goes back to when case_submit refuses the draft, by its error code.
_STEP_FOR_ERROR = {
    "bad_category": State.CATEGORY,
    "description_short": State.DESCRIPTION,
    "description_long": State.DESCRIPTION,
    "bad_location": State.LOCATION,
    "too_many_photos": State.PHOTO,
    "photo_too_large": State.PHOTO,
    "photo_type": State.PHOTO,
    "photo_invalid": State.PHOTO,
}


def _on_confirm(chat: BotChat, message: Incoming, turn: Turn, citizen: Any) -> Turn:
    if not (message.kind == Kind.TEXT and kb.button_is(message.text, kb.btn_confirm())):
        return _bad_input(chat, turn, _("پیام هنوز ثبت نشده است."))
    if citizen is None:
        return _needs_link(chat, turn, State.CATEGORY)
    try:
        result = bot_case_register(chat=chat, citizen=citizen, external_id=str(message.update_id))
    except ValidationError as exc:
        step = _STEP_FOR_ERROR.get(exc.code)
        if step is None:
            _reset(chat)
        else:
            chat.state = step
        return _bad_input(chat, turn, str(exc.detail))
    _reset(chat)
    turn.outcome, turn.case = Outcome.REGISTERED, result.case
    return _menu(
        turn,
        _("پیام شما در سامانه ۱۳۷ ثبت شد.\nکد رهگیری: %(code)s\nخبر رسیدگی را همین‌جا و با پیامک می‌گیرید.")
        % {"code": to_persian_digits(result.case.tracking_code)},
    )


def _track(chat: BotChat, turn: Turn, code: str, citizen: Any) -> Turn:
    try:
        case = case_track(code=code, client=f"bot:{chat.chat_id}")
    except (ValidationError, NotFound, RateLimited) as exc:
        if chat.state != State.TRACK:
            _reset(chat, State.TRACK)
        return _bad_input(chat, turn, str(exc.detail))
    _reset(chat)
    lines = _status_lines(case)
    if case.phase in (Case.Phase.RESPONDED, Case.Phase.CLOSED) and case.response_text:
        response = case.response_text
        if len(response) > RESPONSE_SHOWN:
            response = response[:RESPONSE_SHOWN].rstrip() + "…"
        lines.append(_("پاسخ: %(text)s") % {"text": response})
    if citizen is not None and case.citizen_id == citizen.pk and rating_allowed(case):
        lines.append(_("برای امتیاز دادن به این پاسخ «امتیاز به پاسخ» را بزنید."))
    track_url = _site_url() + reverse("portal:track_case", kwargs={"code": case.tracking_code})
    lines.append(_("جزئیات: %(url)s") % {"url": track_url})
    turn.outcome, turn.case = Outcome.TRACKED, case
    return _menu(turn, "\n".join(str(line) for line in lines))


def _on_track(chat: BotChat, message: Incoming, turn: Turn, citizen: Any) -> Turn:
    if message.kind != Kind.TEXT:
        return _bad_input(chat, turn, _("کد رهگیری را به صورت متن بنویسید."))
    return _track(chat, turn, message.text, citizen)


def _on_rate_case(chat: BotChat, message: Incoming, turn: Turn, citizen: Any) -> Turn:
    code = to_latin_digits(message.text).strip() if message.kind == Kind.TEXT else ""
    case = (
        next((case for case in _rateable(citizen) if case.tracking_code == code), None) if citizen else None
    )
    if case is None:
        _start_rate(chat, turn.say(_("این کد در فهرست پاسخ‌های شما نیست.")), citizen)
        turn.outcome = Outcome.REJECTED
        return turn
    chat.rate_case = case
    chat.state = State.RATE_SCORE
    return _prompt(chat, turn)


def _on_rate_score(chat: BotChat, message: Incoming, turn: Turn) -> Turn:
    score = next(
        (
            n
            for n in range(1, 6)
            if message.kind == Kind.TEXT and kb.button_is(message.text, kb.score_label(n))
        ),
        None,
    )
    if score is None and message.kind == Kind.TEXT:
        digits = to_latin_digits(message.text).strip()
        score = int(digits) if digits in {"1", "2", "3", "4", "5"} else None
    if score is None:
        return _bad_input(chat, turn, _("امتیاز را از ۱ تا ۵ با دکمه‌ها انتخاب کنید."))
    chat.rate_score = score
    chat.state = State.RATE_FIXED
    return _prompt(chat, turn)


def _on_rate_fixed(chat: BotChat, message: Incoming, turn: Turn, citizen: Any) -> Turn:
    text = message.text if message.kind == Kind.TEXT else ""
    if kb.button_is(text, kb.btn_fixed_yes()) or kb.button_is(text, "بله"):
        fixed = True
    elif kb.button_is(text, kb.btn_fixed_no()) or kb.button_is(text, "خیر"):
        fixed = False
    else:
        return _bad_input(chat, turn, _("با یکی از دکمه‌های «بله» یا «خیر» پاسخ دهید."))
    case, score = chat.rate_case, chat.rate_score
    _reset(chat)
    if case is None or score is None:
        return _menu(turn)
    try:
        answer = survey_answer(case=case, citizen=citizen, score=score, fixed=fixed)
    except ApplicationError as exc:
        turn.outcome = Outcome.REJECTED
        return _menu(turn, str(exc.detail))
    turn.outcome, turn.case = Outcome.RECEIVED, case
    if answer.objected:
        return _menu(
            turn,
            _("از نظر شما سپاسگزاریم؛ امتیاز شما ثبت شد و پیام شما دوباره برای رسیدگی باز شد."),
        )
    return _menu(turn, _("از نظر شما سپاسگزاریم؛ امتیاز شما ثبت شد."))


def _welcome(chat: BotChat, turn: Turn, citizen: Any) -> Turn:
    _reset(chat)
    turn.outcome = Outcome.HELP
    return _menu(
        turn,
        _(
            "سلام! به بازوی سامانه ۱۳۷ شهرداری تهران خوش آمدید.\n"
            "اینجا می‌توانید مشکلات شهری را گزارش کنید، پیام‌هایتان را پیگیری کنید و به پاسخ‌ها "
            "امتیاز دهید. یکی از گزینه‌های زیر را انتخاب کنید."
        ),
    )


def converse(chat: BotChat, message: Incoming, api: BotApi) -> Turn:
    """Answer one message of the chat and move its conversation on (see the module docstring).

    Raises nothing for anything the citizen may send; a service's ``ApplicationError`` becomes
    its Persian message.
    """
    turn = Turn()
    citizen = bot_citizen(chat.chat_id)
    if message.kind == Kind.COMMAND:
        if message.command == "start":
            return _welcome(chat, turn, citizen)
        if message.command == "cancel":
            _reset(chat)
            return _menu(turn, _("لغو شد."))
        action = _COMMANDS.get(message.command)
        if action is None:
            turn.outcome = Outcome.REJECTED
            turn.say(
                _("این دستور را نمی‌شناسم. دستورهای پذیرفته: /start /new /track /mycases /rate /help /cancel")
            )
            return _prompt(chat, turn)
        if message.command == "track" and message.text:
            return _track(chat, turn, message.text, citizen)
        return action(chat, turn, citizen)
    if message.kind == Kind.TEXT and kb.button_is(message.text, kb.btn_cancel()):
        _reset(chat)
        return _menu(turn, _("لغو شد."))
    if message.kind == Kind.TEXT:
        menu_action = _menu_action(message.text)
        if menu_action is not None:
            return menu_action(chat, turn, citizen)
    if message.kind == Kind.CONTACT:
        return _on_link(chat, message, turn)
    try:
        return _step(chat, message, turn, api, citizen)
    except ApplicationError as exc:
        turn.outcome = Outcome.REJECTED
        _reset(chat)
        return _menu(turn, str(exc.detail))


def _step(chat: BotChat, message: Incoming, turn: Turn, api: BotApi, citizen: Any) -> Turn:
    state = chat.state
    needs_citizen = state in (State.CATEGORY, State.RATE_CASE, State.RATE_SCORE, State.RATE_FIXED)
    if needs_citizen and citizen is None:
        return _needs_link(chat, turn, State.CATEGORY if state == State.CATEGORY else State.RATE_CASE)
    if state == State.LINK:
        return _bad_input(chat, turn, _("برای ادامه، شماره همراه خود را با دکمه زیر بفرستید."))
    if state == State.CATEGORY:
        return _on_category(chat, message, turn)
    if state == State.DESCRIPTION:
        return _on_description(chat, message, turn)
    if state == State.LOCATION:
        return _on_location(chat, message, turn)
    if state == State.PHOTO:
        return _on_photo(chat, message, turn, api)
    if state == State.CONFIRM:
        return _on_confirm(chat, message, turn, citizen)
    if state == State.TRACK:
        return _on_track(chat, message, turn, citizen)
    if state == State.RATE_CASE:
        return _on_rate_case(chat, message, turn, citizen)
    if state == State.RATE_SCORE:
        return _on_rate_score(chat, message, turn)
    if state == State.RATE_FIXED:
        return _on_rate_fixed(chat, message, turn, citizen)
    # Idle: a bare tracking code (or "پیگیری 1234567890") is a question about that case.
    if message.kind == Kind.TEXT:
        found = _TRACKING_IN_TEXT.search(to_latin_digits(message.text))
        if found:
            return _track(chat, turn, found.group(1), citizen)
    turn.outcome = Outcome.HELP
    return _menu(turn, _("برای شروع، یکی از گزینه‌های زیر را انتخاب کنید."))
