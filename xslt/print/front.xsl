<?xml version="1.0" encoding="UTF-8"?>
<!-- Front matter in Typst markup: title page, its verso (edition, licence, attachments), contents, and the introduction drawn from the teiHeader. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:print"
  xmlns:f="urn:editio:functions"
  xmlns:m="urn:editio:modes"
  exclude-result-prefixes="#all">

  <!-- The header that speaks for the edition: the first chapter's. -->
  <xsl:function name="f:lead-header" as="element(tei:teiHeader)?">
    <xsl:param name="edition" as="element(e:edition)"/>
    <xsl:sequence select="($edition/e:file[@role = 'chapter']/tei:TEI/tei:teiHeader)[1]"/>
  </xsl:function>

  <xsl:function name="f:edition-title" as="xs:string">
    <xsl:param name="edition" as="element(e:edition)"/>
    <xsl:variable name="stmt" select="f:lead-header($edition)/tei:fileDesc/tei:titleStmt"/>
    <!-- A typewriter apostrophe between letters (from edition.toml) is set as a real one. -->
    <xsl:sequence select="replace((normalize-space($edition/@title)[.], normalize-space(($stmt/tei:title[@type = 'main'], $stmt/tei:title)[1])[.], 'Untitled edition')[1],
                                  &quot;(\w)'(\w)&quot;, '$1’$2')"/>
  </xsl:function>

  <xsl:function name="f:edition-subtitle" as="xs:string">
    <xsl:param name="edition" as="element(e:edition)"/>
    <xsl:variable name="stmt" select="f:lead-header($edition)/tei:fileDesc/tei:titleStmt"/>
    <xsl:sequence select="replace((normalize-space($edition/@subtitle)[.], normalize-space($stmt/tei:title[@type = 'sub'][1])[.], '')[1],
                                  &quot;(\w)'(\w)&quot;, '$1’$2')"/>
  </xsl:function>

  <xsl:function name="f:editors" as="xs:string*">
    <xsl:param name="edition" as="element(e:edition)"/>
    <xsl:sequence select="if ($edition/e:editor) then $edition/e:editor ! normalize-space()
                          else distinct-values(f:lead-header($edition)/tei:fileDesc/tei:titleStmt/tei:editor ! normalize-space())"/>
  </xsl:function>

  <!-- A bibliographic reference in markup: Author, Title (Place: Publisher, Date), or its text as written. -->
  <xsl:function name="f:bibl" as="xs:string">
    <xsl:param name="bibl" as="element(tei:bibl)"/>
    <xsl:choose>
      <xsl:when test="$bibl/tei:title and not($bibl/text()[normalize-space()])">
        <xsl:variable name="imprint" select="string-join((
            string-join(($bibl/tei:pubPlace ! f:typst-escape(normalize-space()), $bibl/tei:publisher ! f:typst-escape(normalize-space())), '\: '),
            $bibl/tei:date ! f:typst-escape(normalize-space()))[.], '\, ')"/>
        <xsl:sequence select="string-join((
            string-join($bibl/tei:author ! f:typst-escape(normalize-space()), ' and '),
            string-join($bibl/tei:editor ! f:typst-escape(normalize-space()), ' and ') ! (if (.) then . || ' \(ed\.\)' else ''),
            string-join($bibl/tei:title ! ('#emph[' || f:typst-escape(normalize-space()) || ']'), '\. '))[.], '\, ')
          || (if ($imprint) then ' \(' || $imprint || '\)' else '')
          || string-join($bibl/(tei:biblScope | tei:note | tei:ref | tei:idno) ! ('\, ' || f:trim(string-join(f:inline(node())))))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="f:trim(string-join(f:inline($bibl/node()[not(self::tei:note)])))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Markup ending in a full stop (escaped), added unless it already ends in one. -->
  <xsl:function name="f:sentence" as="xs:string">
    <xsl:param name="markup" as="xs:string"/>
    <xsl:sequence select="if (matches($markup, '\\[.!?]\]*$|\\[.!?]\\\)$')) then $markup else $markup || '\.'"/>
  </xsl:function>

  <xsl:template match="e:edition" mode="m:title-page">
    <xsl:variable name="header" select="f:lead-header(.)"/>
    <xsl:variable name="subtitle" select="f:edition-subtitle(.)"/>
    <xsl:variable name="editors" select="f:editors(.)"/>
    <xsl:variable name="sources" select="$header/tei:fileDesc/tei:sourceDesc/tei:bibl"/>
    <xsl:text>// Title page&#10;#page(header: none, footer: none)[&#10;#set par(first-line-indent: 0pt, justify: false)&#10;#set text(hyphenate: false)&#10;#v(28mm)&#10;#align(center)[&#10;</xsl:text>
    <xsl:value-of select="'#text(size: 22pt)[' || f:typst-escape(f:edition-title(.)) || ']&#10;&#10;'"/>
    <xsl:if test="$subtitle">
      <xsl:value-of select="'#v(3mm)&#10;#text(size: 13pt, style: &quot;italic&quot;)[' || f:typst-escape($subtitle) || ']&#10;&#10;'"/>
    </xsl:if>
    <xsl:if test="exists($editors)">
      <xsl:value-of select="'#v(16mm)&#10;#text(size: 11pt)[Edited by ' || string-join($editors ! ('#smallcaps[' || f:typst-escape(.) || ']'), ' and ') || ']&#10;&#10;'"/>
    </xsl:if>
    <xsl:text>#v(1fr)&#10;</xsl:text>
    <xsl:if test="$sources">
      <xsl:value-of select="'#block(width: 80%)[#set text(size: 9.5pt)&#10;The text follows ' || f:sentence(f:bibl($sources[1]))
          || string-join($sources[position() gt 1] ! (' ' || f:sentence(f:bibl(.))))
          || ']&#10;&#10;'"/>
    </xsl:if>
    <xsl:variable name="publisher" select="(normalize-space(@publisher)[.], normalize-space($header/tei:fileDesc/tei:publicationStmt/tei:publisher[1]))[1]"/>
    <xsl:if test="$publisher">
      <xsl:value-of select="'#v(10mm)&#10;#smallcaps[' || f:typst-escape($publisher) || ']&#10;'"/>
    </xsl:if>
    <xsl:text>]&#10;]&#10;&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="e:edition" mode="m:title-verso">
    <xsl:variable name="header" select="f:lead-header(.)"/>
    <xsl:variable name="pub" select="$header/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="licence" select="(normalize-space(@licence)[.], normalize-space($pub//tei:licence[1]))[1]"/>
    <xsl:variable name="licence-url" select="(normalize-space(@licence-url)[.], normalize-space($pub//tei:licence[1]/@target))[1]"/>
    <xsl:text>// Title verso&#10;#page(header: none, footer: none)[&#10;#set par(first-line-indent: 0pt, justify: false, spacing: 0.9em)&#10;#set text(size: 8.5pt)&#10;#v(1fr)&#10;</xsl:text>
    <xsl:for-each select="$header/tei:fileDesc/tei:editionStmt/tei:edition">
      <xsl:value-of select="f:trim(string-join(f:inline(node()))) || '\.&#10;&#10;'"/>
    </xsl:for-each>
    <xsl:for-each select="$header/tei:fileDesc/tei:titleStmt/tei:respStmt">
      <xsl:value-of select="f:typst-escape(normalize-space(tei:resp)) || '\: ' || string-join(tei:name ! f:typst-escape(normalize-space()), ', ') || '\.&#10;&#10;'"/>
    </xsl:for-each>
    <xsl:value-of select="string-join((
        ($pub/tei:publisher[1], @publisher[normalize-space()])[1] ! ('Published by ' || f:typst-escape(normalize-space())),
        $pub/tei:date[1] ! f:typst-escape(normalize-space()))[.], '\, ')"/>
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:if test="$licence">
      <xsl:value-of select="'Licence\: ' || (if ($licence-url) then '#link(' || f:typst-string($licence-url) || ')[' || f:typst-escape($licence) || ']' else f:typst-escape($licence)) || '\.&#10;&#10;'"/>
    </xsl:if>
    <xsl:value-of select="'This PDF\/A\-3 file carries the edition’s TEI sources as attached files \(' ||
        string-join(e:file/@name ! f:typst-escape(.), ', ') || '\)\; they are the text of record\.&#10;'"/>
    <xsl:text>]&#10;&#10;</xsl:text>
  </xsl:template>

  <!-- The contents: one entry per part, written here rather than queried by outline(). A query finds
       nothing in Typst's first layout pass, so the contents grew by pages in the second one and moved
       every later page: the whole book was laid out a third time (about 15 % of the time at 50 chapters).
       Written out, the contents is as long in every pass; Typst computes only the page numbers. -->
  <xsl:template match="e:edition" mode="m:contents">
    <xsl:variable name="parts" as="array(xs:string)*" select="(
        ['part-introduction', 'Introduction'],
        e:file[@role = 'chapter'] ! f:chapter-parts(.),
        (if (exists(f:bibls(.))) then ['part-sources', 'Sources'] else ()),
        (if (exists(f:indexed-mentions(.))) then ['part-index', 'Index'] else ()))"/>
    <xsl:text>// Contents&#10;#heading(level: 1, outlined: false)[Contents]&#10;</xsl:text>
    <xsl:for-each select="$parts">
      <xsl:value-of select="'#contents-entry(&lt;' || ?1 || '&gt;)[' || ?2 || ']&#10;'"/>
    </xsl:for-each>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <!-- Header prose (projectDesc, editorialDecl, abstract …): plain paragraphs, no margin numbers. -->
  <xsl:template match="tei:p" mode="m:prose">
    <xsl:value-of select="f:src(.) || f:trim(string-join(f:inline(node()))) || '&#10;&#10;'"/>
  </xsl:template>
  <xsl:template match="*" mode="m:prose">
    <xsl:apply-templates select="*" mode="m:prose"/>
  </xsl:template>

  <xsl:template match="e:edition" mode="m:introduction">
    <xsl:variable name="header" select="f:lead-header(.)"/>
    <xsl:variable name="encoding" select="$header/tei:encodingDesc"/>
    <xsl:value-of select="f:part-start('Introduction', 'part-introduction') || '= Introduction&#10;&#10;'"/>
    <xsl:if test="$header/tei:profileDesc/tei:abstract or $encoding/tei:projectDesc">
      <xsl:text>== The edition&#10;&#10;</xsl:text>
      <xsl:apply-templates select="$header/tei:profileDesc/tei:abstract, $encoding/tei:projectDesc" mode="m:prose"/>
    </xsl:if>
    <xsl:variable name="source-desc" select="$header/tei:fileDesc/tei:sourceDesc"/>
    <xsl:if test="$source-desc/*">
      <xsl:text>== The source&#10;&#10;</xsl:text>
      <xsl:for-each select="$source-desc/tei:bibl">
        <xsl:value-of select="f:src(.) || (if (position() = 1) then 'The text is edited from ' else '') || f:sentence(f:bibl(.)) || '&#10;&#10;'"/>
      </xsl:for-each>
      <xsl:apply-templates select="$source-desc/(* except tei:bibl)" mode="m:prose"/>
    </xsl:if>
    <xsl:if test="$encoding/tei:editorialDecl">
      <xsl:text>== Editorial principles&#10;&#10;</xsl:text>
      <xsl:apply-templates select="$encoding/tei:editorialDecl" mode="m:prose"/>
    </xsl:if>
    <xsl:text>== How to read this edition&#10;&#10;</xsl:text>
    <xsl:text>The numbers in the margin number the paragraphs of each chapter\; they are the same as the paragraph anchors of the web edition \(\#p1\, \#p2 …\)\, so a citation by chapter and paragraph is valid in both\. </xsl:text>
    <xsl:text>Historical\, translation and other explanatory notes are printed as footnotes\, numbered from 1 in each chapter\. </xsl:text>
    <xsl:choose>
      <xsl:when test="$reading = 'diplomatic'">
        <xsl:text>This printing gives the diplomatic reading\: the text exactly as the source prints it\, errors included\. The textual apparatus at the end of each chapter lists every correction the editors propose\: paragraph \(¶\) and page\, the printed reading\, a square bracket\, then the correction\. </xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>This printing gives the corrected reading\: evident misprints and mistranslations are corrected in the text\. The textual apparatus at the end of each chapter lists every correction\: paragraph \(¶\) and page\, the reading printed here\, a square bracket\, then what the source prints\, with the editors’ reason\. </xsl:text>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>Persons\, places and organisations are listed in the index with the pages where they are mentioned\, by name or by description\; variant and misspelt forms refer to the standard form\. The TEI source files are attached to this PDF\.&#10;&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
