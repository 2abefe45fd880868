<?xml version="1.0" encoding="UTF-8"?>
<!-- The running text of a chapter in Typst markup: paragraphs with margin numbers, names with index anchors, notes as footnotes, the chosen reading. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:print"
  xmlns:f="urn:editio:functions"
  xmlns:m="urn:editio:modes"
  exclude-result-prefixes="#all">

  <!-- Where an element came from, as a Typst comment: editio maps Typst errors back through it. -->
  <xsl:function name="f:src" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if ($el/@e:line) then '/*@src ' || $el/ancestor::e:file/@n || ':' || $el/@e:line || '*/' else ''"/>
  </xsl:function>

  <!-- What begins a part (introduction, chapter, sources, index): its running head and foot,
       keyed to a label on its first page. $title is markup. -->
  <xsl:function name="f:part-start" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="'#set page(header: running-head([' || $title || '], &lt;' || $id || '&gt;), footer: running-foot(&lt;' || $id || '&gt;))&#10;'
                          || '#metadata(none)&lt;' || $id || '&gt;&#10;'"/>
  </xsl:function>

  <!-- The number printed in the margin: @n, else the digits ending the xml:id (p7 → 7), else the position. -->
  <xsl:function name="f:para-number" as="xs:string">
    <xsl:param name="p" as="element(tei:p)"/>
    <xsl:sequence select="if ($p/@n) then string($p/@n)
                          else if (matches($p/@xml:id, '\d+$')) then replace($p/@xml:id, '^.*?(\d+)$', '$1')
                          else string(count($p/preceding::tei:p[ancestor::tei:body]) + 1)"/>
  </xsl:function>

  <!-- The register key a mention points at (register.xml#yezhov → yezhov). -->
  <xsl:function name="f:ref-key" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if (contains($el/@ref, '#')) then tokenize(normalize-space($el/@ref), '\s+')[1] ! substring-after(., '#') else ()"/>
  </xsl:function>

  <!-- The editorial note that explains a correction (it goes to the apparatus, not to a footnote):
       the note pointing at the choice by @target, else the next editorial note in the same paragraph
       with no other choice in between. -->
  <xsl:function name="f:note-of-correction" as="element(tei:note)?">
    <xsl:param name="correction" as="element()"/>
    <xsl:variable name="p" select="$correction/ancestor::tei:p[1]"/>
    <xsl:variable name="targeted" select="if ($correction/@xml:id) then $p//tei:note[@target = '#' || $correction/@xml:id] else ()"/>
    <xsl:variable name="next" select="($p//tei:note[. >> $correction])[1][@type = 'editorial'][not(@target)]"/>
    <xsl:sequence select="($targeted,
        $next[not($p//(tei:choice | tei:supplied | tei:surplus | tei:del)[. >> $correction][. &lt;&lt; $next])])[1]"/>
  </xsl:function>

  <!-- A paragraph's mentions (outside notes) of one register entry, by "PARAGRAPH-ID KEY". -->
  <xsl:key name="mention-in-paragraph"
    match="tei:persName[ancestor::tei:p][not(ancestor::tei:note)] | tei:placeName[ancestor::tei:p][not(ancestor::tei:note)]
           | tei:orgName[ancestor::tei:p][not(ancestor::tei:note)] | tei:rs[ancestor::tei:p][not(ancestor::tei:note)]"
    use="for $key in f:ref-key(.) return generate-id(ancestor::tei:p[1]) || ' ' || $key"/>

  <!-- The corrections an editorial note explains, by the note's generate-id() (see f:note-of-correction):
       built once, so deciding whether a note goes to the apparatus is a lookup, not a search of its paragraph. -->
  <xsl:key name="explained-correction"
    match="tei:choice[ancestor::tei:p] | tei:supplied[ancestor::tei:p] | tei:surplus[ancestor::tei:p] | tei:del[ancestor::tei:p]"
    use="f:note-of-correction(.) ! generate-id(.)"/>

  <!-- Whether a note prints as a footnote: not nested in another note (those go in parentheses), not in
       the header, not the editorial note that explains a correction (that one goes to the apparatus). -->
  <xsl:function name="f:is-footnote" as="xs:boolean">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="not($note/ancestor::tei:note or $note/ancestor::tei:teiHeader)
        and not($note/@type = 'editorial' and exists(key('explained-correction', generate-id($note), root($note))))"/>
  </xsl:function>

  <!-- Footnote numbers, from 1 in each chapter, counted here and written into the markup: a Typst counter
       is introspection, which the first layout pass cannot answer, so every paragraph holding a note
       marker was laid out twice (about 40 % of Typst's time on a heavily annotated volume). -->
  <xsl:accumulator name="footnote-number" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="e:file" select="0"/>
    <xsl:accumulator-rule match="tei:note[f:is-footnote(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- A heading as markup without its notes, index anchors and apparatus labels: the outline, the
       contents and the running heads repeat the text, and must not repeat those. -->
  <xsl:function name="f:plain-heading" as="xs:string">
    <xsl:param name="head" as="element(tei:head)"/>
    <xsl:sequence select="replace(f:trim(string-join(f:inline($head/node()[not(self::tei:note)]))),
                                  '#(ix|app-anchor)\(&quot;[^&quot;]*&quot;\)|/\*@src [0-9:]+\*/', '')"/>
  </xsl:function>

  <!-- The parts of a chapter that begin a new page with their own running head, as (label, title
       markup) pairs: its top-level headings, or its title when it has none (see m:chapter). -->
  <xsl:function name="f:chapter-parts" as="array(xs:string)*">
    <xsl:param name="file" as="element(e:file)"/>
    <xsl:variable name="body" select="$file/tei:TEI/tei:text/tei:body"/>
    <xsl:if test="not($body/tei:div[1]/tei:head or $body/tei:head)">
      <xsl:variable name="title" select="$file/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1]"/>
      <xsl:sequence select="['part-' || generate-id($file), f:typst-escape(normalize-space(($title, $file/@name)[1]))]"/>
    </xsl:if>
    <xsl:for-each select="$body/tei:head | $body/tei:div/tei:head">
      <xsl:sequence select="['part-' || generate-id(.), f:plain-heading(.)]"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:template match="tei:div" mode="m:text">
    <xsl:value-of select="f:src(.)"/>
    <xsl:apply-templates select="*" mode="m:text"/>
  </xsl:template>

  <xsl:template match="tei:head" mode="m:text">
    <xsl:variable name="level" select="count(ancestor::tei:div)"/>
    <!-- Outline, bookmarks and running heads get the heading without its notes. -->
    <xsl:variable name="full" select="f:trim(string-join(f:inline(node())))"/>
    <xsl:variable name="plain" select="f:plain-heading(.)"/>
    <xsl:value-of select="'&#10;' || f:src(.) || (if ($level le 1) then f:part-start($plain, 'part-' || generate-id()) else '')
                          || '#part-heading(' || max((1, $level)) || ', [' || $plain || '], [' || $full || '])&#10;&#10;'"/>
  </xsl:template>

  <xsl:template match="tei:p" mode="m:text">
    <!-- Typst indents a paragraph's first line only after another paragraph. -->
    <xsl:variable name="after-p" select="exists(preceding-sibling::*[not(self::tei:pb | self::tei:milestone | self::tei:lb)][1][self::tei:p])"/>
    <xsl:value-of select="f:src(.) || '#pn(' || f:typst-string(f:para-number(.)) || (if ($after-p) then '' else ', first: true') || ')'"/>
    <xsl:value-of select="f:trim(string-join(f:inline(node())))"/>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <!-- Inline content as markup strings. -->
  <xsl:function name="f:inline" as="xs:string*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:apply-templates select="$nodes" mode="m:inline"/>
  </xsl:function>

  <!-- One regex test per text node: the rare text with unprintable characters takes the slow path. -->
  <xsl:template match="text()" mode="m:inline">
    <xsl:choose>
      <xsl:when _test="matches(., '{$f:unprintable}')">
        <xsl:message _select="ancestor::e:file/@n || ':' || ../@e:line || ':pdf.no-glyph: no bundled font has the characters &quot;'
            || string-join(analyze-string(., '{$f:unprintable}')/*:match, ' ') || '&quot;; they are printed as their code points'"/>
        <xsl:sequence select="f:typst-text-split(.)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="f:typst-escape(.)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="comment() | processing-instruction()" mode="m:inline"/>

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:rs[@type = ('person', 'place', 'org')]" mode="m:inline">
    <xsl:variable name="key" select="f:ref-key(.)"/>
    <xsl:sequence select="f:src(.)"/>
    <!-- One anchor per entity and paragraph (index pages are per page; fewer anchors, faster layout):
         only the paragraph's first mention of the entity carries one. -->
    <xsl:variable name="first" select="exists($key) and not(ancestor::tei:note) and ancestor::tei:body
        and (not(ancestor::tei:p) or key('mention-in-paragraph', generate-id(ancestor::tei:p[1]) || ' ' || $key)[1] is .)"/>
    <xsl:sequence select="if ($first) then '#ix(' || f:typst-string($key) || ')' else ()"/>
    <xsl:apply-templates mode="m:inline"/>
  </xsl:template>

  <xsl:template match="tei:rs | tei:date | tei:name | tei:seg | tei:num | tei:measure | tei:author | tei:pubPlace | tei:publisher | tei:biblScope" mode="m:inline">
    <xsl:apply-templates mode="m:inline"/>
  </xsl:template>

  <xsl:template match="tei:choice" mode="m:inline">
    <xsl:variable name="printed" select="if ($reading = 'diplomatic') then (tei:sic, tei:orig) else (tei:corr, tei:reg)"/>
    <xsl:sequence select="f:src(.) || '#app-anchor(' || f:typst-string('ap-' || generate-id()) || ')'"/>
    <xsl:apply-templates select="$printed[1]/node()" mode="m:inline"/>
  </xsl:template>

  <!-- Editorial additions: in square brackets in the corrected reading, absent from the diplomatic one. -->
  <xsl:template match="tei:supplied" mode="m:inline">
    <xsl:sequence select="f:src(.) || '#app-anchor(' || f:typst-string('ap-' || generate-id()) || ')'"/>
    <xsl:if test="$reading != 'diplomatic'">
      <xsl:sequence select="'\[' || string-join(f:inline(node())) || '\]'"/>
    </xsl:if>
  </xsl:template>

  <!-- Superfluous text (repeated, stray): printed in the diplomatic reading only. -->
  <xsl:template match="tei:surplus | tei:del" mode="m:inline">
    <xsl:sequence select="f:src(.) || '#app-anchor(' || f:typst-string('ap-' || generate-id()) || ')'"/>
    <xsl:if test="$reading = 'diplomatic'">
      <xsl:apply-templates mode="m:inline"/>
    </xsl:if>
  </xsl:template>

  <!-- A lone sic or corr (not in a choice) prints as it stands. -->
  <xsl:template match="tei:sic | tei:corr | tei:orig | tei:reg" mode="m:inline">
    <xsl:apply-templates mode="m:inline"/>
  </xsl:template>

  <xsl:template match="tei:note" mode="m:inline">
    <xsl:choose>
      <xsl:when test="ancestor::tei:note or ancestor::tei:teiHeader">
        <xsl:sequence select="' (' || f:trim(string-join(f:inline(node()))) || ')'"/>
      </xsl:when>
      <xsl:when test="@type = 'editorial' and exists(key('explained-correction', generate-id()))"/>
      <xsl:otherwise>
        <xsl:sequence select="f:src(.) || '#h(0pt, weak: true)#footnote(numbering: numbered(&quot;'
            || accumulator-before('footnote-number') || '&quot;))[' || f:trim(string-join(f:inline(node()))) || ']'"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:q | tei:quote | tei:said" mode="m:inline">
    <xsl:variable name="body" select="string-join(f:inline(node()))"/>
    <xsl:variable name="quoted" select="matches(normalize-space(.), '^[“‘&quot;«]')"/>
    <xsl:sequence select="if ($quoted) then $body else '“' || $body || '”'"/>
  </xsl:template>

  <xsl:template match="tei:hi" mode="m:inline">
    <xsl:variable name="body" select="string-join(f:inline(node()))"/>
    <xsl:variable name="rend" select="tokenize(@rend, '\s+')"/>
    <xsl:sequence select="if ($rend = ('bold', 'b', 'strong')) then '#strong[' || $body || ']'
                          else if ($rend = ('sup', 'superscript')) then '#super[' || $body || ']'
                          else if ($rend = ('sub', 'subscript')) then '#sub[' || $body || ']'
                          else if ($rend = ('smallcaps', 'sc', 'small-caps')) then '#smallcaps[' || $body || ']'
                          else if ($rend = ('underline', 'u')) then '#underline[' || $body || ']'
                          else '#emph[' || $body || ']'"/>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:term | tei:emph | tei:title" mode="m:inline" priority="1">
    <xsl:sequence select="'#emph[' || string-join(f:inline(node())) || ']'"/>
  </xsl:template>

  <xsl:template match="tei:ref[@target] | tei:ptr[@target]" mode="m:inline">
    <xsl:variable name="url" select="normalize-space(@target)"/>
    <xsl:variable name="body" select="if (self::tei:ptr or not(normalize-space(.))) then f:typst-escape($url) else string-join(f:inline(node()))"/>
    <xsl:sequence select="if (matches($url, '^(https?|mailto):')) then '#link(' || f:typst-string($url) || ')[' || $body || ']' else $body"/>
  </xsl:template>

  <xsl:template match="tei:bibl" mode="m:inline">
    <xsl:apply-templates mode="m:inline"/>
  </xsl:template>

  <xsl:template match="tei:lb" mode="m:inline">
    <xsl:sequence select="'#linebreak()'"/>
  </xsl:template>
  <!-- Source pagination and milestones are not reproduced in print. -->
  <xsl:template match="tei:pb | tei:milestone | tei:gap | tei:index" mode="m:inline"/>

  <xsl:template match="*" mode="m:inline">
    <xsl:message select="ancestor::e:file/@n || ':' || @e:line || ':pdf.unhandled: no print rule for the element ' || name() || '; its text is printed without formatting'"/>
    <xsl:apply-templates mode="m:inline"/>
  </xsl:template>

  <xsl:template match="*" mode="m:text">
    <xsl:message select="ancestor::e:file/@n || ':' || @e:line || ':pdf.unhandled: no print rule for the block element ' || name() || '; its text is printed as a paragraph'"/>
    <xsl:value-of select="f:src(.) || f:trim(string-join(f:inline(node()))) || '&#10;&#10;'"/>
  </xsl:template>
</xsl:stylesheet>
