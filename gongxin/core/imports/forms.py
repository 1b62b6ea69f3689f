from __future__ import annotations

from django import forms
from django.conf import settings

from gongxin.core.imports.gate import MB, formats_text


class UploadForm(forms.Form):
    # Empty files reach the gate, which says "文件为空。" like every other path.
    file = forms.FileField(label="文件", allow_empty_file=True)

    def __init__(self, importer_cls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accept = ",".join(f".{f}" for f in importer_cls.formats)
        self.fields["file"].widget.attrs["accept"] = accept
        self.fields["file"].help_text = (
            f"接受 {formats_text(importer_cls.formats)} 文件，"
            f"不超过 {settings.IMPORT_MAX_BYTES / MB:.0f} MB。"
            "文本文件可为 UTF-8 或 GBK 编码。"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"文件大小 {upload.size / MB:.1f} MB，超过上限 "
                f"{settings.IMPORT_MAX_BYTES / MB:.0f} MB。请拆分后重新上传。"
            )
        return upload
