<?xml version="1.0" encoding="UTF-8"?>
<!-- Entity lookup: mentions (persName, placeName, orgName, rs, name with @ref) and their register entries. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <xsl:key name="f:entity-by-id" match="tei:person | tei:personGrp | tei:place | tei:org | tei:event" use="@xml:id"/>

  <!-- True for an element that mentions a registered entity. -->
  <xsl:function name="f:is-mention" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(self::tei:persName | self::tei:placeName | self::tei:orgName | self::tei:rs
                                      | self::tei:name)[@ref][ancestor::tei:text])"/>
  </xsl:function>

  <!-- The target id of a pointer: "register.xml#yezhov" and "#yezhov" give "yezhov" (first pointer only). -->
  <xsl:function name="f:ref-id" as="xs:string">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:variable name="first" select="substring-before(normalize-space($ref) || ' ', ' ')"/>
    <xsl:sequence select="if (contains($first, '#')) then substring-after($first, '#') else ''"/>
  </xsl:function>

  <!-- All target ids of a pointer list: "register.xml#zinoviev register.xml#kamenev" gives both. -->
  <xsl:function name="f:ref-ids" as="xs:string*">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:sequence select="tokenize(normalize-space($ref), ' ')[contains(., '#')] ! substring-after(., '#')"/>
  </xsl:function>

  <!-- The register entry a mention points at, or () if it is not in the register. -->
  <xsl:function name="f:entity" as="element()?">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:param name="register" as="document-node()?"/>
    <xsl:variable name="id" select="f:ref-id($ref)"/>
    <xsl:sequence select="if ($id = '' or empty($register)) then () else key('f:entity-by-id', $id, $register)[1]"/>
  </xsl:function>

  <!-- The kind of an entry: person, place, org or event. -->
  <xsl:function name="f:entity-kind" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="if ($entry/self::tei:personGrp) then 'person' else local-name($entry)"/>
  </xsl:function>

  <!-- The kind of a mention: from its register entry if found, else from its element name or @type. -->
  <xsl:function name="f:mention-kind" as="xs:string">
    <xsl:param name="m" as="element()"/>
    <xsl:param name="register" as="document-node()?"/>
    <xsl:sequence select="f:mention-kind-of($m, f:entity($m/@ref, $register))"/>
  </xsl:function>

  <!-- f:mention-kind when the mention's entry ($entry, or () if not in the register) is already known. -->
  <xsl:function name="f:mention-kind-of" as="xs:string">
    <xsl:param name="m" as="element()"/>
    <xsl:param name="entry" as="element()?"/>
    <xsl:sequence select="if ($entry) then f:entity-kind($entry)
                          else if ($m/self::tei:persName) then 'person'
                          else if ($m/self::tei:placeName) then 'place'
                          else if ($m/self::tei:orgName) then 'org'
                          else if ($m/@type = ('person', 'place', 'org', 'event')) then string($m/@type)
                          else 'other'"/>
  </xsl:function>

  <!-- The standard name of an entry: the main (or first) name, or an event's label. -->
  <xsl:function name="f:entity-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="names" select="$entry/(tei:persName | tei:placeName | tei:orgName | tei:label | tei:name)"/>
    <xsl:variable name="main" select="($names[@type = ('main', 'standard', 'reg')], $names[not(@type)], $names)[1]"/>
    <xsl:sequence select="if ($main) then normalize-space(string-join($main//text(), ''))
                          else string($entry/@xml:id)"/>
  </xsl:function>

  <!-- Other names of an entry (variants, forms found in the text), without the standard name. -->
  <xsl:function name="f:entity-variants" as="xs:string*">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="main" select="f:entity-name($entry)"/>
    <xsl:sequence select="distinct-values($entry/(tei:persName | tei:placeName | tei:orgName | tei:name)
                            ! normalize-space(string-join(.//text(), ''))[. != $main])"/>
  </xsl:function>

  <!-- Dates of an entry for a one-line summary: life dates of a person, the date of an event or org. -->
  <xsl:function name="f:entity-dates" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:choose>
      <xsl:when test="$entry/self::tei:person or $entry/self::tei:personGrp">
        <xsl:sequence select="f:life-dates($entry)"/>
      </xsl:when>
      <xsl:when test="$entry/self::tei:event">
        <xsl:sequence select="f:format-period($entry)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="string-join(($entry/tei:date, $entry/tei:existence)[1] ! f:format-period(.), '')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A one-line description: the first sentence of the entry's note or description, else its occupation. -->
  <xsl:function name="f:entity-summary" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="text" select="normalize-space(string-join(($entry/tei:note, $entry/tei:desc, $entry/tei:occupation)[1]//text()[not(ancestor::tei:note[ancestor::tei:note])], ''))"/>
    <!-- tokenize, not a lazy regex over the whole text: this runs for every mention and must stay cheap. -->
    <xsl:variable name="head" select="tokenize($text, '[.!?] ')[1]"/>
    <xsl:variable name="first" select="if (string-length($head) lt string-length($text))
                                       then $head || substring($text, string-length($head) + 1, 1) else $text"/>
    <xsl:sequence select="if (string-length($first) gt 200) then substring($first, 1, 199) || '…' else $first"/>
  </xsl:function>

  <!-- Mentions counted in one pass over each document. ([@ref] first: the pattern is tried on every element,
       and the attribute test is much cheaper than the function call.) -->
  <xsl:accumulator name="f:mention-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:*[@ref][f:is-mention(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- A stable id for a mention in its chapter (m1, m2, ...): used by the chapter page and the register's backlinks. -->
  <xsl:function name="f:mention-id" as="xs:string">
    <xsl:param name="m" as="element()"/>
    <xsl:sequence select="'m' || $m ! accumulator-before('f:mention-count')"/>
  </xsl:function>

  <!-- The plural label of a kind of entry, as used for register titles. -->
  <xsl:function name="f:kind-label" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="map{'person': 'Persons', 'place': 'Places', 'org': 'Organisations', 'event': 'Events'}($kind)"/>
  </xsl:function>

  <!-- The singular label of a kind of entry. -->
  <xsl:function name="f:kind-singular" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="(map{'person': 'Person', 'place': 'Place', 'org': 'Organisation', 'event': 'Event'}($kind), 'Name')[1]"/>
  </xsl:function>

</xsl:stylesheet>
