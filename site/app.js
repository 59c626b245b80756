// Lists the job families and their roles, read from the GraphQL API.
const QUERY = `{ jobFamilies { id name roles { id title level { rank name } track { name } } } }`;

async function graphql(query) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function main() {
  const root = document.getElementById('families');
  try {
    const { jobFamilies } = await graphql(QUERY);
    root.replaceChildren(...jobFamilies.map((family) => {
      const section = element('section');
      section.append(element('h2', family.name));
      const list = element('ul');
      for (const role of family.roles) {
        const item = element('li', role.title);
        if (role.level) item.append(' ', element('span', `· ${role.level.name}`, 'level'));
        if (role.track) item.append(element('span', role.track.name, 'track'));
        list.append(item);
      }
      section.append(list);
      return section;
    }));
  } catch (error) {
    root.replaceChildren(element('p', `Could not load the job architecture: ${error.message}`, 'status error'));
  }
}

main();
