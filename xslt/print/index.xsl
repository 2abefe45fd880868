<?xml version="1.0" encoding="UTF-8"?>
<!-- The index of persons, places and organisations: entries and cross-references here; their page numbers are computed by Typst (index-list in book-style.typ). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:print"
  xmlns:f="urn:editio:functions"
  xmlns:m="urn:editio:modes"
  exclude-result-prefixes="#all">

  <xsl:key name="register-entry" match="tei:person | tei:place | tei:org" use="@xml:id"/>

  <!-- The mentions that carry index anchors (as emitted by text.xsl). -->
  <xsl:function name="f:indexed-mentions" as="element()*">
    <xsl:param name="edition" as="element(e:edition)"/>
    <xsl:sequence select="$edition/e:file[@role = 'chapter']/tei:TEI/tei:text/tei:body
        //(tei:persName | tei:placeName | tei:orgName | tei:rs[@type = ('person', 'place', 'org')])
          [not(ancestor::tei:note)][exists(f:ref-key(.))]"/>
  </xsl:function>

  <!-- "Nikolai Yezhov" → "Yezhov, Nikolai" (surname/forename children win when encoded). -->
  <xsl:function name="f:person-heading" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="words" select="tokenize(normalize-space($name), '\s+')"/>
    <xsl:sequence select="if ($name/tei:surname) then string-join((normalize-space($name/tei:surname[1]), normalize-space(string-join($name/tei:forename, ' '))[.]), ', ')
                          else if (count($words) gt 1) then $words[last()] || ', ' || string-join($words[position() lt last()], ' ')
                          else normalize-space($name)"/>
  </xsl:function>

  <xsl:function name="f:entry-heading" as="xs:string">
    <xsl:param name="entry" as="element()?"/>
    <xsl:param name="fallback" as="xs:string"/>
    <xsl:variable name="names" select="$entry/(tei:persName | tei:placeName | tei:orgName)"/>
    <xsl:variable name="main" select="($names[@type = 'main'], $names[not(@type)], $names)[1]"/>
    <xsl:sequence select="if (not($main)) then $fallback
                          else if ($entry/self::tei:person) then f:person-heading($main)
                          else normalize-space($main)"/>
  </xsl:function>

  <xsl:function name="f:entry-note" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="born" select="$entry/tei:birth/(@when, @notBefore, @notAfter)[1] ! substring(., 1, 4)"/>
    <xsl:variable name="died" select="$entry/tei:death/(@when, @notBefore, @notAfter)[1] ! substring(., 1, 4)"/>
    <xsl:sequence select="if ($born or $died) then (($born, '?')[1] || '–' || ($died, '')[1]) else ()"/>
  </xsl:function>

  <xsl:template match="e:edition" mode="m:index">
    <xsl:variable name="edition" select="."/>
    <xsl:variable name="mentions" select="f:indexed-mentions(.)"/>
    <xsl:variable name="edition-lang" select="substring-before((normalize-space(@language)[.], 'en')[1] || '-', '-')"/>
    <xsl:if test="exists($mentions)">
      <xsl:value-of select="f:part-start('Index', 'part-index')"/>
      <xsl:text>= Index&#10;&#10;#set text(size: 9.5pt, hyphenate: false)&#10;#columns(2, gutter: 6mm)[&#10;#index-sections((&#10;</xsl:text>
      <xsl:for-each-group select="$mentions" group-by="f:kind(.)">
        <xsl:sort select="index-of(('person', 'place', 'org', 'other'), current-grouping-key())"/>
        <xsl:value-of select="'  ([' || map{'person': 'Persons', 'place': 'Places', 'org': 'Organisations', 'other': 'Other'}(current-grouping-key()) || '], ('"/>
        <xsl:variable name="rows" as="map(*)*">
          <xsl:for-each-group select="current-group()" group-by="f:ref-key(.)">
            <xsl:variable name="entry" select="key('register-entry', current-grouping-key(), root($edition))[1]"/>
            <xsl:variable name="head" select="f:entry-heading($entry, normalize-space(current-group()[1]))"/>
            <xsl:sequence select="map{'sort': lower-case($head), 'row': '(key: ' || f:typst-string(current-grouping-key()) || ', head: [' || f:typst-escape($head) || ']'
                || (f:entry-note($entry) ! (', note: [' || f:typst-escape(.) || ']')) || '),'}"/>
            <!-- Cross-references from forms a reader may look up elsewhere: register variants in the
                 edition's language and misspellings of the source; not fuller forms of the same name. -->
            <xsl:variable name="main-words" select="tokenize(lower-case($head), '[\s,()]+')[.]"/>
            <xsl:variable name="mentions" select="current-group()"/>
            <xsl:variable name="variants" select="distinct-values((
                $entry/(tei:persName | tei:placeName | tei:orgName)[@type = 'variant']
                  [not(@xml:lang) or starts-with(@xml:lang, $edition-lang)]
                  ! (if ($entry/self::tei:person) then f:person-heading(.) else normalize-space()),
                (for $m in $mentions return $m//tei:sic[parent::tei:choice]
                  [(ancestor::tei:persName | ancestor::tei:placeName | ancestor::tei:orgName | ancestor::tei:rs)[last()] is $m])
                  ! normalize-space()))[.]"/>
            <xsl:for-each select="$variants[not(every $w in $main-words satisfies $w = tokenize(lower-case(.), '[\s,()]+'))]
                                  [not($entry/self::tei:person and contains(., ',') and substring-before(lower-case(.), ',') = $main-words[1])]">
              <xsl:sequence select="map{'sort': lower-case(.), 'row': '(head: [' || f:typst-escape(.) || '], see: [' || f:typst-escape($head) || ']),'}"/>
            </xsl:for-each>
          </xsl:for-each-group>
        </xsl:variable>
        <xsl:text>&#10;</xsl:text>
        <xsl:for-each select="$rows">
          <xsl:sort select="?sort" lang="en"/>
          <xsl:value-of select="'    ' || ?row || '&#10;'"/>
        </xsl:for-each>
        <xsl:text>  )),&#10;</xsl:text>
      </xsl:for-each-group>
      <xsl:text>))&#10;</xsl:text>
      <xsl:text>]&#10;&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:function name="f:kind" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:sequence select="if ($mention/self::tei:persName) then 'person'
                          else if ($mention/self::tei:placeName) then 'place'
                          else if ($mention/self::tei:orgName) then 'org'
                          else if ($mention/@type = ('person', 'place', 'org')) then string($mention/@type)
                          else 'other'"/>
  </xsl:function>
</xsl:stylesheet>
