"""The bundled pictograms a handout may name (``icon: phone`` on a section): names, files
and alt text (:data:`ICONS`), and the message for a name that is not one of them. Drawing
them is :mod:`.icons`'s job; the models check a name here without loading ReportLab's
graphics."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Icon:
    name: str
    file: str
    #: what it shows, per language (for tagging; the heading beside it says the rest)
    alt: dict[str, str]


def _icon(name: str, file: str, en: str, es: str) -> Icon:
    return Icon(name, file, {"en": en, "es": es})


#: name → icon. Several names may share a file (``ice`` and ``snowflake``).
ICONS: dict[str, Icon] = {
    i.name: i
    for i in (
        _icon("phone", "phone.svg", "Phone", "Teléfono"),
        _icon("alarm", "alarm.svg", "Alarm clock", "Despertador"),
        _icon("alert", "alert-triangle.svg", "Warning sign", "Señal de advertencia"),
        _icon("stop", "hand-stop.svg", "Raised hand: stop", "Mano levantada: alto"),
        _icon("ice", "snowflake.svg", "Snowflake: ice", "Copo de nieve: hielo"),
        _icon("snowflake", "snowflake.svg", "Snowflake", "Copo de nieve"),
        _icon("heat", "flame.svg", "Flame: heat", "Llama: calor"),
        _icon("flame", "flame.svg", "Flame", "Llama"),
        _icon("calendar", "calendar.svg", "Calendar", "Calendario"),
        _icon("pill", "pill.svg", "Pill", "Pastilla"),
        _icon("walking", "walk.svg", "Person walking", "Persona caminando"),
        _icon("stretch", "stretching.svg", "Person stretching", "Persona estirándose"),
        _icon("question", "help-circle.svg", "Question mark", "Signo de pregunta"),
        _icon("info", "info-circle.svg", "Information", "Información"),
        _icon("bandage", "bandage.svg", "Bandage", "Curita"),
        _icon("clock", "clock.svg", "Clock", "Reloj"),
        _icon("video", "video.svg", "Video camera", "Cámara de video"),
        _icon("first-aid", "first-aid-kit.svg", "First aid kit", "Botiquín"),
        _icon("rest", "bed.svg", "Bed: rest", "Cama: descanso"),
        _icon("fever", "temperature.svg", "Thermometer", "Termómetro"),
        _icon("bleeding", "droplet.svg", "Drop", "Gota"),
        _icon("location", "map-pin.svg", "Map pin", "Marcador de lugar"),
    )
}


def unknown_icon_message(name: str) -> str:
    """``icon: phnoe`` → the message for the error line (with the closest name)."""
    close = difflib.get_close_matches(name, list(ICONS), n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"bundled icons: {', '.join(ICONS)}"
    return f"unknown icon {name!r} ({hint})"
