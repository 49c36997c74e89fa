"""{% extends %} that finds the root template's blocks once, not at every render.

Django's ExtendsNode walks the whole node tree of the root template (base.html) on every render
to collect its {% block %} nodes: a tenth of an empty page's CPU. A compiled template does not
change while the cached loader keeps it, so the blocks are remembered on it. Registered as a
template builtin (settings.TEMPLATES), so it replaces the built-in tag everywhere.
"""

from django import template
from django.template.base import TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_extends,
)

register = template.Library()


def _root_blocks(compiled_parent) -> dict | None:
    """The parent's blocks if it is the root of the chain (no {% extends %} of its own), else
    None; computed once per compiled template."""
    try:
        return compiled_parent._mirpal_root_blocks
    except AttributeError:
        pass
    blocks = None
    for node in compiled_parent.nodelist:
        # The ExtendsNode has to be the first non-text node.
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                blocks = {n.name: n for n in compiled_parent.nodelist.get_nodes_by_type(BlockNode)}
            break
    compiled_parent._mirpal_root_blocks = blocks
    return blocks


class RememberingExtendsNode(ExtendsNode):
    def render(self, context):
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = _root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def remembering_extends(parser, token):
    node = do_extends(parser, token)
    return RememberingExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
