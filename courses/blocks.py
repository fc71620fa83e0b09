"""The blocks a trainer builds a lesson from.

Each block has a docstring, an icon, a template in `templates/blocks/` and a
description shown in the Wagtail admin. Blocks that take a learner's input (quiz,
reflection, improvement-plan step, discussion prompt) render only what the learner needs
to answer: a quiz's correct answers and feedback never reach the page before the
learner submits; grading happens on the server.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from academy.sanitizer import clean_lesson_rich_text

# Rich text stays simple: no embeds, no raw HTML. Wagtail's rich text keeps only what
# these features allow, so a trainer's text cannot carry scripts or javascript: links.
LESSON_RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    """A section heading inside a lesson."""

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        form_classname = "title"
        description = _("A section heading.")


class LessonTextBlock(blocks.RichTextBlock):
    """Formatted text: paragraphs, lists, links.

    Cleaned again when saved, whatever wrote it (the editor, an import, a script), so
    no stored lesson can carry scripts or `javascript:` links.
    """

    def __init__(self, **kwargs):
        super().__init__(features=LESSON_RICH_TEXT_FEATURES, **kwargs)

    def get_prep_value(self, value):
        return clean_lesson_rich_text(super().get_prep_value(value))

    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text_block.html"
        description = _("Paragraphs, lists and links.")


class ImageWithCaptionBlock(blocks.StructBlock):
    """An image, resized for phones, with a caption and alternative text."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(max_length=250, help_text=_("What the image shows, for people who cannot see it."))
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_with_caption_block.html"
        description = _("An image with a caption.")


class VideoBlock(blocks.StructBlock):
    """A video shown as a link with its length and a transcript, never an autoloading
    player: many learners are on phones on slow or metered links."""

    url = blocks.URLBlock(help_text=_("The address of the video (for example on YouTube or Vimeo)."))
    title = blocks.CharBlock(max_length=200)
    duration_minutes = blocks.IntegerBlock(min_value=1, required=False)
    transcript = blocks.TextBlock(required=False, help_text=_("A transcript helps where video cannot load."))

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        description = _("A video link with its length and transcript.")


class DocumentBlock(blocks.StructBlock):
    """A programme tool to download: a checklist, a template, a guide."""

    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        description = _("A document to download, such as a programme tool.")


class KeyPointBlock(blocks.StructBlock):
    """A callout with the one thing to remember."""

    title = blocks.CharBlock(max_length=120, default=_("Key point"))
    text = blocks.TextBlock()

    class Meta:
        icon = "pick"
        template = "blocks/key_point_block.html"
        description = _("A highlighted key point.")


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(
        max_length=500, required=False, help_text=_("Shown after submitting, to a learner who chose this option.")
    )

    class Meta:
        icon = "radio-empty"


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    CHOICES = [
        (SINGLE, _("Single choice")),
        (MULTIPLE, _("Multiple choice")),
        (TRUE_FALSE, _("True or false")),
    ]


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=QuestionKind.CHOICES, default=QuestionKind.SINGLE)
    text = blocks.TextBlock()
    options = blocks.ListBlock(OptionBlock(), min_num=2)

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        errors = {}
        if value["kind"] == QuestionKind.TRUE_FALSE and len(value["options"]) != 2:
            errors["options"] = ValidationError(_("A true-or-false question has exactly two options."))
        elif value["kind"] in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
            errors["options"] = ValidationError(_("Mark exactly one option as correct."))
        elif value["kind"] == QuestionKind.MULTIPLE and correct < 1:
            errors["options"] = ValidationError(_("Mark at least one option as correct."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class QuizBlock(blocks.StructBlock):
    """A graded quiz: questions with feedback per option, a pass mark, an attempts limit.

    Answers are graded on the server by question and option ids (the ids Wagtail keeps
    for list items); the page shows the questions and options only.
    """

    title = blocks.CharBlock(max_length=200, default=_("Check your understanding"))
    pass_mark = blocks.IntegerBlock(
        min_value=0, max_value=100, default=70, help_text=_("Percentage of questions answered correctly to pass.")
    )
    max_attempts = blocks.IntegerBlock(
        min_value=0, default=3, help_text=_("How many times a learner may submit; 0 for no limit.")
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "tasks"
        template = "blocks/quiz_block.html"
        description = _("A graded quiz with feedback.")


class ReflectionPromptBlock(blocks.StructBlock):
    """A question the learner answers in writing, privately; they may share the answer
    with their facilitator."""

    prompt = blocks.TextBlock()
    guidance = blocks.TextBlock(required=False)

    class Meta:
        icon = "edit"
        template = "blocks/reflection_prompt_block.html"
        description = _("A private written reflection.")


class ImprovementPlanStepBlock(blocks.StructBlock):
    """The learner writes one action (what, who owns it, by when) for their own
    improvement plan, such as fixing one safety-and-health issue on their floor."""

    prompt = blocks.TextBlock()
    example = blocks.TextBlock(required=False, help_text=_("An example of a specific, owned, dated action."))

    class Meta:
        icon = "list-ul"
        template = "blocks/improvement_plan_step_block.html"
        description = _("An action for the learner's improvement plan.")


class DiscussionPromptBlock(blocks.StructBlock):
    """A question to take to the cohort's forum."""

    prompt = blocks.TextBlock()

    class Meta:
        icon = "group"
        template = "blocks/discussion_prompt_block.html"
        description = _("A question for the cohort to discuss.")


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = LessonTextBlock()
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    key_point = KeyPointBlock()
    quiz = QuizBlock()
    reflection = ReflectionPromptBlock()
    improvement_step = ImprovementPlanStepBlock()
    discussion = DiscussionPromptBlock()
